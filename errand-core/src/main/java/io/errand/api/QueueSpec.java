package io.errand.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * A queue's name, handler and limits (the Yao pools' {@code worker_nums}, {@code size},
 * {@code timeout}, {@code attempts}, {@code attempt_after}, {@code next}). Immutable; built with
 * {@link #builder(String, Class, Class, TaskHandler)} (typed: results read back as {@code R} on
 * every store, and {@link Errand#queue(QueueSpec)} gives a typed handle) or
 * {@link #builder(String, Class, TaskHandler)}, which checks every setting when
 * {@link Builder#build()} is called.
 *
 * @param <A> the type of the arguments its tasks take
 * @param <R> the type of the result its handler returns
 */
public final class QueueSpec<A, R> {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** The threads a queue's handlers run on. */
  public enum Threads {
    /** One virtual thread per worker: cheap, for handlers that wait on I/O (the default). */
    VIRTUAL,
    /** One platform thread per worker: for CPU-bound handlers or code that pins carriers. */
    PLATFORM
  }

  private final String name;
  private final Class<A> argsType;
  private final Class<R> resultType;
  private final TaskHandler<A, R> handler;
  private final int workers;
  private final int concurrency;
  private final ConcurrencyKey concurrencyKey;
  private final int perKeyConcurrency;
  private final RateLimit rateLimit;
  private final RateLimit perKeyRateLimit;
  private final int capacity;
  private final Duration timeout;
  private final int attempts;
  private final Backoff backoff;
  private final Duration cancelGrace;
  private final Duration retention;
  private final Threads threads;
  private final LongSupplier idGenerator;

  private QueueSpec(Builder<A, R> b) {
    this.name = b.name;
    this.argsType = b.argsType;
    this.resultType = b.resultType;
    this.handler = b.handler;
    this.workers = b.workers;
    this.concurrency = b.concurrency == null ? 0 : b.concurrency;
    this.concurrencyKey = b.concurrencyKey;
    this.perKeyConcurrency = b.perKeyConcurrency == null ? 0 : b.perKeyConcurrency;
    this.rateLimit = b.rateLimit();
    this.perKeyRateLimit = b.perKeyRateLimit();
    this.capacity = b.capacity;
    this.timeout = b.timeout;
    this.attempts = b.attempts;
    this.backoff = b.backoff;
    this.cancelGrace = b.cancelGrace;
    this.retention = b.retention;
    this.threads = b.threads;
    this.idGenerator = b.idGenerator;
  }

  /**
   * Starts a spec for queue {@code name} whose tasks take arguments of {@code argsType} and run
   * {@code handler}. Defaults: 1 worker, capacity 100,000, no time-out, 1 attempt, retries after
   * a fixed 1 s, 5 s cancel grace, 24 h retention, virtual threads, ids from the store.
   */
  public static <A, R> Builder<A, R> builder(String name, Class<A> argsType,
      TaskHandler<A, R> handler) {
    return new Builder<>(name, argsType, null, handler);
  }

  /**
   * As {@link #builder(String, Class, TaskHandler)}, declaring the type of the handler's
   * results: every store reads them back as {@code resultType} ({@link TaskInfo#response()},
   * {@link TaskQueue#await}), and {@link Errand#queue(QueueSpec)} gives a typed handle on the
   * queue. A handler with nothing to return declares {@code Void.class} and returns null.
   */
  public static <A, R> Builder<A, R> builder(String name, Class<A> argsType,
      Class<R> resultType, TaskHandler<A, R> handler) {
    Builder<A, R> b = new Builder<>(name, argsType, resultType, handler);
    b.typed = true;
    return b;
  }

  /**
   * Starts a spec for a queue that runs plain {@link java.util.concurrent.Callable}s, for
   * {@link Errand#executor(String)}: existing {@code java.util.concurrent} code moves over and
   * gains tracking, time-outs, retries and cancel. Its tasks keep their callables in memory, so
   * such a queue needs the memory store: building an Errand with it on a durable store fails.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Builder<java.util.concurrent.Callable<?>, Object> forExecutor(String name) {
    Class<java.util.concurrent.Callable<?>> type = (Class) java.util.concurrent.Callable.class;
    return new Builder<>(name, type, null, ctx -> ctx.args().call());
  }

  /** The queue's name: letters, digits, '.', '_' or '-', at most 64 characters. */
  public String name() {
    return name;
  }

  /** The type its tasks' arguments must have. */
  public Class<A> argsType() {
    return argsType;
  }

  /**
   * The type results are read back as, when it was declared
   * ({@link #builder(String, Class, Class, TaskHandler)}); without one, results read back from
   * a store are plain JSON values (maps, lists, strings, numbers, booleans).
   */
  public Optional<Class<R>> resultType() {
    return Optional.ofNullable(resultType);
  }

  /** Its handler. */
  public TaskHandler<A, R> handler() {
    return handler;
  }

  /** How many of its tasks run at once in this process. */
  public int workers() {
    return workers;
  }

  /**
   * The most of its tasks that run at once across every node sharing the store (beside each
   * node's {@link #workers}), or empty for no such limit.
   */
  public java.util.OptionalInt concurrency() {
    return concurrency == 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(concurrency);
  }

  /**
   * Where each task's concurrency key is read, or empty when the queue has none. With a key,
   * claims go round-robin across the key values that have due tasks, and the per-key limits
   * apply.
   */
  public Optional<ConcurrencyKey> concurrencyKey() {
    return Optional.ofNullable(concurrencyKey);
  }

  /**
   * The most tasks of one key value that run at once across every node sharing the store, or
   * empty for no such limit.
   */
  public java.util.OptionalInt perKeyConcurrency() {
    return perKeyConcurrency == 0 ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(perKeyConcurrency);
  }

  /** The most starts of the queue's tasks per period, across every node, or empty. */
  public Optional<RateLimit> rateLimit() {
    return Optional.ofNullable(rateLimit);
  }

  /** The most starts of one key value's tasks per period, across every node, or empty. */
  public Optional<RateLimit> perKeyRateLimit() {
    return Optional.ofNullable(perKeyRateLimit);
  }

  /** The most tasks that may wait at once; a submit beyond it is refused. */
  public int capacity() {
    return capacity;
  }

  /** The time-out of one attempt, counted from its start (its task's startedAt), or null. */
  public Duration timeout() {
    return timeout;
  }

  /** How many times a task runs at most (1 = no retry). */
  public int attempts() {
    return attempts;
  }

  /** The wait before each retry. */
  public Backoff backoff() {
    return backoff;
  }

  /** How long a cancelled attempt may take to stop before it is abandoned. */
  public Duration cancelGrace() {
    return cancelGrace;
  }

  /** How long finished tasks stay queryable. */
  public Duration retention() {
    return retention;
  }

  /** The kind of threads its handlers run on. */
  public Threads threads() {
    return threads;
  }

  /** The generator of its task ids (Yao's {@code next}), or null to let the store number them. */
  public LongSupplier idGenerator() {
    return idGenerator;
  }

  /** A builder holding this spec's settings, to derive a changed copy. */
  public Builder<A, R> toBuilder() {
    Builder<A, R> b = new Builder<>(name, argsType, resultType, handler);
    b.typed = resultType != null;
    b.workers = workers;
    b.concurrency = concurrency == 0 ? null : concurrency;
    b.concurrencyKey = concurrencyKey;
    b.perKeyConcurrency = perKeyConcurrency == 0 ? null : perKeyConcurrency;
    if (rateLimit != null) {
      b.rateStarts = rateLimit.starts();
      b.ratePeriod = rateLimit.period();
    }
    if (perKeyRateLimit != null) {
      b.keyRateStarts = perKeyRateLimit.starts();
      b.keyRatePeriod = perKeyRateLimit.period();
    }
    b.capacity = capacity;
    b.timeout = timeout;
    b.attempts = attempts;
    b.backoff = backoff;
    b.cancelGrace = cancelGrace;
    b.retention = retention;
    b.threads = threads;
    b.idGenerator = idGenerator;
    return b;
  }

  @Override
  public String toString() {
    return "QueueSpec[" + name + ", workers=" + workers + ", capacity=" + capacity + ", timeout="
        + timeout + ", attempts=" + attempts + ", backoff=" + backoff + "]";
  }

  /**
   * Collects a queue's settings. Setters take any value; {@link #build()} checks them all and
   * names the first bad one.
   */
  public static final class Builder<A, R> {
    private final String name;
    private final Class<A> argsType;
    private final Class<R> resultType;
    private final TaskHandler<A, R> handler;
    private int workers = 1;
    private Integer concurrency;
    private ConcurrencyKey concurrencyKey;
    private Integer perKeyConcurrency;
    private Integer rateStarts;
    private Duration ratePeriod;
    private Integer keyRateStarts;
    private Duration keyRatePeriod;
    private int capacity = 100_000;
    private Duration timeout;
    private int attempts = 1;
    private Backoff backoff = Backoff.fixed(Duration.ofSeconds(1));
    private Duration cancelGrace = Duration.ofSeconds(5);
    private Duration retention = Duration.ofHours(24);
    private Threads threads = Threads.VIRTUAL;
    private LongSupplier idGenerator;
    private boolean typed;

    private Builder(String name, Class<A> argsType, Class<R> resultType,
        TaskHandler<A, R> handler) {
      this.name = name;
      this.argsType = argsType;
      this.resultType = resultType;
      this.handler = handler;
    }

    /** How many tasks run at once (Yao: {@code worker_nums}); at least 1. */
    public Builder<A, R> workers(int workers) {
      this.workers = workers;
      return this;
    }

    /**
     * The most of the queue's tasks that run at once across every node sharing the store, exact
     * on every store (a global limit, beside each node's {@link #workers}); at least 1. Tasks
     * held back by it stay WAITING. Unset: no limit but the workers.
     */
    public Builder<A, R> concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /**
     * Where each task's concurrency key is read ({@link ConcurrencyKey#submitKey()} or
     * {@link ConcurrencyKey#argsField(String)}). With a key, claims go round-robin across the
     * key values with due tasks (within one key value: priority, then due time), so one key's
     * backlog does not starve another's; the per-key limits need it. An argument field must
     * exist in the queue's argument type when that type is a record or a class with fields.
     */
    public Builder<A, R> concurrencyKey(ConcurrencyKey key) {
      this.concurrencyKey = key;
      return this;
    }

    /**
     * The most tasks of one key value that run at once across every node sharing the store;
     * at least 1; needs a {@link #concurrencyKey}. Tasks held back stay WAITING.
     */
    public Builder<A, R> perKeyConcurrency(int limit) {
      this.perKeyConcurrency = limit;
      return this;
    }

    /**
     * At most {@code starts} starts of the queue's tasks in any {@code period} (a sliding
     * window, {@link RateLimit}), across every node. Tasks held back stay WAITING.
     */
    public Builder<A, R> rateLimit(int starts, Duration period) {
      this.rateStarts = starts;
      this.ratePeriod = period;
      return this;
    }

    /**
     * At most {@code starts} starts of one key value's tasks in any {@code period}, across every
     * node; needs a {@link #concurrencyKey}.
     */
    public Builder<A, R> perKeyRateLimit(int starts, Duration period) {
      this.keyRateStarts = starts;
      this.keyRatePeriod = period;
      return this;
    }

    private RateLimit rateLimit() {
      return rateStarts == null ? null : new RateLimit(rateStarts, ratePeriod);
    }

    private RateLimit perKeyRateLimit() {
      return keyRateStarts == null ? null : new RateLimit(keyRateStarts, keyRatePeriod);
    }

    /** The most waiting tasks (Yao: {@code size}); at least 1. */
    public Builder<A, R> capacity(int capacity) {
      this.capacity = capacity;
      return this;
    }

    /** The time-out of each attempt (Yao: {@code timeout}); positive, or null for none. */
    public Builder<A, R> timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** How many times a task runs at most (Yao: {@code attempts}); at least 1. */
    public Builder<A, R> attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    /** The wait before each retry (Yao's {@code attempt_after} is {@link Backoff#fixed}). */
    public Builder<A, R> backoff(Backoff backoff) {
      this.backoff = backoff;
      return this;
    }

    /** How long a cancelled or timed-out attempt may take to stop; positive. */
    public Builder<A, R> cancelGrace(Duration cancelGrace) {
      this.cancelGrace = cancelGrace;
      return this;
    }

    /** How long finished tasks stay queryable; positive. */
    public Builder<A, R> retention(Duration retention) {
      this.retention = retention;
      return this;
    }

    /** Virtual (default) or platform threads. */
    public Builder<A, R> threads(Threads threads) {
      this.threads = threads;
      return this;
    }

    /**
     * Task ids from {@code idGenerator} (Yao: {@code next}) instead of the store's sequence. Ids
     * must be positive and unused; a submit that gets a bad id is refused.
     */
    public Builder<A, R> idGenerator(LongSupplier idGenerator) {
      this.idGenerator = idGenerator;
      return this;
    }

    /**
     * The spec.
     *
     * @throws InvalidSpecException naming the first setting that is not allowed
     */
    public QueueSpec<A, R> build() {
      String q = "queue '" + name + "': ";
      if (name == null || !NAME.matcher(name).matches()) {
        throw new InvalidSpecException("queue name must be 1-64 letters, digits, '.', '_' or '-'"
            + " starting with a letter or digit, was " + (name == null ? "null" : "'" + name + "'"));
      }
      InvalidSpecException.require(argsType != null, q + "argsType", null,
          "a class (Object.class accepts anything)");
      InvalidSpecException.require(!typed || resultType != null, q + "resultType", null,
          "a class (Void.class for a handler that returns nothing)");
      InvalidSpecException.require(handler != null, q + "handler", null, "a TaskHandler");
      InvalidSpecException.require(workers >= 1 && workers <= 100_000, q + "workers", workers,
          "between 1 and 100000");
      InvalidSpecException.require(concurrency == null || concurrency >= 1, q + "concurrency",
          concurrency, ">= 1 (leave it unset for no limit)");
      FlowChecks.check(q, argsType, concurrencyKey, perKeyConcurrency, rateStarts, ratePeriod,
          keyRateStarts, keyRatePeriod);
      InvalidSpecException.require(capacity >= 1, q + "capacity", capacity, ">= 1");
      InvalidSpecException.require(timeout == null || timeout.isPositive()
          && InvalidSpecException.notTooLong(timeout), q + "timeout", timeout,
          "positive and " + InvalidSpecException.AT_MOST_LONGEST + " (or null for no time-out)");
      InvalidSpecException.require(attempts >= 1, q + "attempts", attempts, ">= 1");
      InvalidSpecException.require(backoff != null, q + "backoff", null, "a Backoff");
      InvalidSpecException.require(cancelGrace != null && cancelGrace.isPositive()
          && InvalidSpecException.notTooLong(cancelGrace), q + "cancelGrace", cancelGrace,
          "positive and " + InvalidSpecException.AT_MOST_LONGEST);
      InvalidSpecException.require(retention != null && retention.isPositive()
          && InvalidSpecException.notTooLong(retention), q + "retention", retention,
          "positive and " + InvalidSpecException.AT_MOST_LONGEST);
      InvalidSpecException.require(threads != null, q + "threads", null, "VIRTUAL or PLATFORM");
      Objects.requireNonNull(name);
      return new QueueSpec<>(this);
    }
  }
}
