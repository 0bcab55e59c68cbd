package io.errand.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A named schedule: on each occurrence of its {@link ScheduleSpec}, one task is submitted to
 * {@link #queue()} with {@link #argsFor(Instant) its arguments}, within an optional
 * [{@link #start()}, {@link #end()}] window, delayed by up to {@link #jitter()}, with a
 * {@link MissedRunPolicy} for occurrences missed while nothing could fire them and an
 * {@link OverlapPolicy} for occurrences that come due while an earlier run is still live.
 * Immutable; built with {@link #builder(String, String, ScheduleSpec)}, which checks every
 * setting in {@link Builder#build()}. See {@code docs/schedules.md}.
 */
public final class Schedule {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final String name;
  private final String queue;
  private final ScheduleSpec spec;
  private final Object args;
  private final Function<Instant, ?> argsFunction;
  private final Duration jitter;
  private final Instant start;
  private final Instant end;
  private final MissedRunPolicy missed;
  private final OverlapPolicy overlap;

  private Schedule(Builder b) {
    this.name = b.name;
    this.queue = b.queue;
    this.spec = b.spec;
    this.args = b.args;
    this.argsFunction = b.argsFunction;
    this.jitter = b.jitter;
    this.start = b.start;
    this.end = b.end;
    this.missed = b.missed;
    this.overlap = b.overlap;
  }

  /**
   * Starts a schedule named {@code name} that submits to {@code queue} on {@code spec}. Defaults:
   * {@code null} args, no jitter, no start or end, {@link MissedRunPolicy#runOnce()},
   * {@link OverlapPolicy#SKIP}.
   */
  public static Builder builder(String name, String queue, ScheduleSpec spec) {
    return new Builder(name, queue, spec);
  }

  /** A builder holding this schedule's settings, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(name, queue, spec);
    b.args = args;
    b.argsFunction = argsFunction;
    b.jitter = jitter;
    b.start = start;
    b.end = end;
    b.missed = missed;
    b.overlap = overlap;
    return b;
  }

  /** Its name: 1-64 of letters, digits, '.', '_' and '-', starting with a letter or digit. */
  public String name() {
    return name;
  }

  /** The queue its tasks go to. */
  public String queue() {
    return queue;
  }

  /** When its occurrences are. */
  public ScheduleSpec spec() {
    return spec;
  }

  /**
   * The arguments of the task for {@code occurrence}: the fixed args, or what the args function
   * returns for it.
   */
  public Object argsFor(Instant occurrence) {
    return argsFunction == null ? args : argsFunction.apply(occurrence);
  }

  /** How this schedule's task args are made. */
  public enum ArgsSource {
    /** Fixed args given with {@link Builder#args} (or none): a durable store keeps them. */
    FIXED,
    /**
     * A function given with {@link Builder#argsFrom}: it lives only in this process, so only a
     * store of this process's heap can keep the schedule.
     */
    FUNCTION
  }

  /** Whether the args are fixed or built per occurrence by a function. */
  public ArgsSource argsSource() {
    return argsFunction == null ? ArgsSource.FIXED : ArgsSource.FUNCTION;
  }

  /** The fixed args, or empty when an args function builds them per occurrence (or none). */
  public Optional<Object> fixedArgs() {
    return argsFunction == null ? Optional.ofNullable(args) : Optional.empty();
  }

  /**
   * The most a task's start is delayed after its occurrence (zero for none). Each occurrence's
   * delay is derived from the schedule's name and the occurrence, so every node agrees on it.
   */
  public Duration jitter() {
    return jitter;
  }

  /** No occurrence before this instant, if set. */
  public Optional<Instant> start() {
    return Optional.ofNullable(start);
  }

  /** No occurrence after this instant, if set. */
  public Optional<Instant> end() {
    return Optional.ofNullable(end);
  }

  /** What happens to occurrences missed while nothing could fire them. */
  public MissedRunPolicy missed() {
    return missed;
  }

  /** What happens to an occurrence due while an earlier run is live. */
  public OverlapPolicy overlap() {
    return overlap;
  }

  /**
   * The first occurrence strictly after {@code after} within the start/end window, or empty
   * when there is none.
   */
  public Optional<Instant> next(Instant after) {
    Instant from = after;
    if (start != null && !from.isAfter(start.minusNanos(1))) {
      from = start.minusNanos(1);
    }
    Optional<Instant> next = spec.next(from);
    return next.filter(at -> end == null || !at.isAfter(end));
  }

  /**
   * Up to {@code n} occurrences strictly after {@code after} within the start/end window,
   * oldest first.
   *
   * @throws IllegalArgumentException if {@code n} is negative or above 10,000
   */
  public List<Instant> next(Instant after, int n) {
    if (n < 0 || n > 10_000) {
      throw new IllegalArgumentException("n must be 0-10000, was " + n);
    }
    List<Instant> found = new ArrayList<>(n);
    Optional<Instant> at = next(after);
    while (at.isPresent() && found.size() < n) {
      found.add(at.get());
      at = next(at.get());
    }
    return found;
  }

  @Override
  public String toString() {
    return "Schedule[" + name + " -> " + queue + " on '" + spec.text() + "', missed "
        + missed.text() + ", overlap " + overlap.text() + "]";
  }

  /** Collects a schedule's settings; {@link #build()} checks them. */
  public static final class Builder {
    private String name;
    private String queue;
    private ScheduleSpec spec;
    private Object args;
    private Function<Instant, ?> argsFunction;
    private Duration jitter = Duration.ZERO;
    private Instant start;
    private Instant end;
    private MissedRunPolicy missed = MissedRunPolicy.runOnce();
    private OverlapPolicy overlap = OverlapPolicy.SKIP;

    private Builder(String name, String queue, ScheduleSpec spec) {
      this.name = name;
      this.queue = queue;
      this.spec = spec;
    }

    /** Another spec. */
    public Builder spec(ScheduleSpec spec) {
      this.spec = spec;
      return this;
    }

    /** Another queue. */
    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    /** The same args for every occurrence's task (JSON-encodable); replaces an args function. */
    public Builder args(Object args) {
      this.args = args;
      this.argsFunction = null;
      return this;
    }

    /**
     * Args built per occurrence from its due instant; replaces fixed args. Called on the node
     * that fires the occurrence; it should be quick and must not fail.
     */
    public Builder argsFrom(Function<Instant, ?> argsFunction) {
      this.argsFunction = Objects.requireNonNull(argsFunction, "argsFunction");
      this.args = null;
      return this;
    }

    /** Delay each task by up to this much after its occurrence (default zero). */
    public Builder jitter(Duration jitter) {
      this.jitter = jitter;
      return this;
    }

    /** No occurrence before {@code start} (null for none). */
    public Builder start(Instant start) {
      this.start = start;
      return this;
    }

    /** No occurrence after {@code end} (null for none). */
    public Builder end(Instant end) {
      this.end = end;
      return this;
    }

    /** The missed-run policy (default {@link MissedRunPolicy#runOnce()}). */
    public Builder missed(MissedRunPolicy missed) {
      this.missed = missed;
      return this;
    }

    /** The overlap policy (default {@link OverlapPolicy#SKIP}). */
    public Builder overlap(OverlapPolicy overlap) {
      this.overlap = overlap;
      return this;
    }

    /**
     * The schedule.
     *
     * @throws InvalidSpecException naming the setting, the value and what is allowed: a bad
     *     name, a missing queue, spec or policy, a negative or over-100-years jitter, or an end
     *     not after the start
     */
    public Schedule build() {
      InvalidSpecException.require(
          name != null && NAME.matcher(name).matches(),
          "schedule name",
          name == null ? null : "'" + name + "'",
          "1-64 of letters, digits, '.', '_' and '-', starting with a letter or digit");
      InvalidSpecException.require(
          queue != null && !queue.isBlank(), "schedule " + name + " queue", queue, "a queue name");
      InvalidSpecException.require(spec != null, "schedule " + name + " spec", null, "given");
      InvalidSpecException.require(missed != null, "schedule " + name + " missed", null, "given");
      InvalidSpecException.require(overlap != null, "schedule " + name + " overlap", null, "given");
      InvalidSpecException.require(
          jitter != null && !jitter.isNegative() && InvalidSpecException.notTooLong(jitter),
          "schedule " + name + " jitter",
          jitter,
          "zero or positive and " + InvalidSpecException.AT_MOST_LONGEST);
      InvalidSpecException.require(
          start == null || end == null || end.isAfter(start),
          "schedule " + name + " end",
          end,
          "after its start " + start);
      return new Schedule(this);
    }
  }
}
