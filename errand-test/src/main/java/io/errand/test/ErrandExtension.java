package io.errand.test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.errand.api.Errand;
import io.errand.api.InvalidSpecException;
import io.errand.api.ManualClock;
import io.errand.api.QueueSpec;
import io.errand.memory.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension giving each test a fresh {@link TestErrand}: an Errand on the memory store
 * (payloads copied through JSON, as a durable store keeps them) with a {@link ManualClock}, shut
 * down after the test. Register it on an instance field; a test takes the {@link TestErrand},
 * its {@link Errand} or its {@link ManualClock} as a parameter, or calls {@link #get()}.
 *
 * <pre>{@code
 * @RegisterExtension
 * final ErrandExtension errand = ErrandExtension.builder().queue(MAIL).build();
 *
 * @Test
 * void sendsOnce(TestErrand t) {
 *   new SignUp(t.errand()).register("ada@example.com");
 *   t.assertSubmitted("mail", new Mail("ada@example.com", "Welcome"));
 * }
 * }</pre>
 */
public final class ErrandExtension implements BeforeEachCallback, AfterEachCallback,
    ParameterResolver {
  private final Builder settings;
  private TestErrand current;

  private ErrandExtension(Builder settings) {
    this.settings = settings;
  }

  /** A builder: workers mode, the clock at 2026-01-01T00:00:00Z, a 30 s wait limit. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The running test's {@link TestErrand}.
   *
   * @throws IllegalStateException outside a test
   */
  public TestErrand get() {
    if (current == null) {
      throw new IllegalStateException("no test is running: the TestErrand exists from each "
          + "test's start to its end");
    }
    return current;
  }

  /** Starts the test's Errand; used by JUnit. */
  @Override
  public void beforeEach(ExtensionContext context) {
    current = settings.start();
  }

  /** Shuts the test's Errand down; used by JUnit. */
  @Override
  public void afterEach(ExtensionContext context) {
    TestErrand done = current;
    current = null;
    if (done != null) {
      done.close();
    }
  }

  /** Whether the parameter is a TestErrand, an Errand or a ManualClock; used by JUnit. */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestErrand.class || type == Errand.class || type == ManualClock.class;
  }

  /** The test's TestErrand, Errand or ManualClock; used by JUnit. */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    TestErrand t = get();
    return type == TestErrand.class ? t : type == Errand.class ? t.errand() : t.clock();
  }

  /** The settings every test's Errand starts with. */
  public static final class Builder {
    private final List<QueueSpec<?, ?>> queues = new ArrayList<>();
    private final List<Consumer<Errand.Builder>> more = new ArrayList<>();
    private ExecutionMode mode = ExecutionMode.WORKERS;
    private Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private Duration waitLimit = Duration.ofSeconds(30);
    private ObjectMapper mapper;

    private Builder() {}

    /** Adds a queue (in inline mode its handler is handed to the test's thread). */
    public Builder queue(QueueSpec<?, ?> spec) {
      queues.add(Objects.requireNonNull(spec, "spec"));
      return this;
    }

    /** Where handlers run (default {@link ExecutionMode#WORKERS}). */
    public Builder mode(ExecutionMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Where the manual clock starts (default 2026-01-01T00:00:00Z). */
    public Builder startingAt(Instant start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    /**
     * How long a drain, an await-idle or a time-travel step may wait for the work to settle
     * before the test fails, naming what is still busy (default 30 s). A bound for a stuck
     * handler, never a pause: a test that settles returns at once.
     */
    public Builder waitLimit(Duration waitLimit) {
      this.waitLimit = Objects.requireNonNull(waitLimit, "waitLimit");
      return this;
    }

    /** The ObjectMapper of the Errand (default: Errand's own). */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * More settings of the Errand (supervisors, listeners, a schedule store...). Queues go
     * through {@link #queue}, so that inline mode can hand their handlers over; the store and
     * the clock are the extension's.
     */
    public Builder configure(Consumer<Errand.Builder> settings) {
      more.add(Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /**
     * The extension.
     *
     * @throws InvalidSpecException if the wait limit is not positive
     */
    public ErrandExtension build() {
      if (!waitLimit.isPositive()) {
        throw new InvalidSpecException("waitLimit must be positive, was " + waitLimit);
      }
      return new ErrandExtension(this);
    }

    /** A TestErrand with these settings, outside JUnit (close it when done). */
    public TestErrand start() {
      ManualClock clock = new ManualClock(start);
      Wakeups wakeups = new Wakeups();
      Inline inline = mode == ExecutionMode.INLINE ? new Inline(wakeups) : null;
      Errand.Builder b = Errand.builder();
      more.forEach(m -> m.accept(b));
      b.store(new MemoryStore()).clock(clock).listener("errand-test", e -> wakeups.bump());
      if (mapper != null) {
        b.objectMapper(mapper);
      }
      for (QueueSpec<?, ?> q : queues) {
        b.queue(inline == null || isExecutorQueue(q) ? q : inline.wrap(q));
      }
      ObjectMapper compare = mapper != null ? mapper : JsonMapper.builder()
          .addModule(new JavaTimeModule()).addModule(new Jdk8Module()).build();
      return new TestErrand(b.build(), clock, inline, wakeups, compare, waitLimit);
    }

    private static boolean isExecutorQueue(QueueSpec<?, ?> q) {
      return q.argsType() == java.util.concurrent.Callable.class;
    }
  }
}
