package io.errand.api;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A keyed supervisor's name, handler and policies: one live instance per key, restarted on
 * crash within a budget, stopped in stages. Immutable; built with
 * {@link #builder(String, Class, KeyHandler)}.
 *
 * @param <A> the type of its keys' arguments
 */
public final class SupervisorSpec<A> {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final String name;
  private final Class<A> argsType;
  private final KeyHandler<A> handler;
  private final StopTimeouts stopTimeouts;
  private final RestartPolicy restart;
  private final Duration heartbeatTimeout;
  private final QueueSpec.Threads threads;

  private SupervisorSpec(Builder<A> b) {
    this.name = b.name;
    this.argsType = b.argsType;
    this.handler = b.handler;
    this.stopTimeouts = b.stopTimeouts;
    this.restart = b.restart;
    this.heartbeatTimeout = b.heartbeatTimeout;
    this.threads = b.threads;
  }

  /**
   * Starts a spec for supervisor {@code name} whose keys take arguments of {@code argsType} and
   * run {@code handler}. Defaults: stop stages 5 s / 10 s / 3 s, {@link RestartPolicy#onFailure()},
   * no heartbeat time-out, virtual threads.
   */
  public static <A> Builder<A> builder(String name, Class<A> argsType, KeyHandler<A> handler) {
    return new Builder<>(name, argsType, handler);
  }

  /** Its name, unique among an Errand's queues and supervisors. */
  public String name() {
    return name;
  }

  /** The type its keys' arguments must have. */
  public Class<A> argsType() {
    return argsType;
  }

  /** The work of each key. */
  public KeyHandler<A> handler() {
    return handler;
  }

  /** How an instance is stopped. */
  public StopTimeouts stopTimeouts() {
    return stopTimeouts;
  }

  /** When crashed or ended instances start again. */
  public RestartPolicy restart() {
    return restart;
  }

  /** How long an instance may go without a heartbeat, or null for no such check. */
  public Duration heartbeatTimeout() {
    return heartbeatTimeout;
  }

  /** The kind of threads instances run on. */
  public QueueSpec.Threads threads() {
    return threads;
  }

  /** Collects a supervisor's settings; {@link #build()} checks them. */
  public static final class Builder<A> {
    private final String name;
    private final Class<A> argsType;
    private final KeyHandler<A> handler;
    private StopTimeouts stopTimeouts = StopTimeouts.DEFAULTS;
    private RestartPolicy restart = RestartPolicy.onFailure();
    private Duration heartbeatTimeout;
    private QueueSpec.Threads threads = QueueSpec.Threads.VIRTUAL;

    private Builder(String name, Class<A> argsType, KeyHandler<A> handler) {
      this.name = name;
      this.argsType = argsType;
      this.handler = handler;
    }

    /** The three stop stages (default 5 s / 10 s / 3 s). */
    public Builder<A> stopTimeouts(StopTimeouts stopTimeouts) {
      this.stopTimeouts = stopTimeouts;
      return this;
    }

    /** The restart policy (default {@link RestartPolicy#onFailure()}). */
    public Builder<A> restart(RestartPolicy restart) {
      this.restart = restart;
      return this;
    }

    /** Restart an instance that has not called {@code heartbeat()} for this long. */
    public Builder<A> heartbeatTimeout(Duration heartbeatTimeout) {
      this.heartbeatTimeout = heartbeatTimeout;
      return this;
    }

    /** Virtual (default) or platform threads. */
    public Builder<A> threads(QueueSpec.Threads threads) {
      this.threads = threads;
      return this;
    }

    /**
     * The spec.
     *
     * @throws InvalidSpecException naming the first setting that is not allowed
     */
    public SupervisorSpec<A> build() {
      String s = "supervisor '" + name + "': ";
      if (name == null || !NAME.matcher(name).matches()) {
        throw new InvalidSpecException("supervisor name must be 1-64 letters, digits, '.', '_' or"
            + " '-' starting with a letter or digit, was "
            + (name == null ? "null" : "'" + name + "'"));
      }
      InvalidSpecException.require(argsType != null, s + "argsType", null,
          "a class (Object.class accepts anything)");
      InvalidSpecException.require(handler != null, s + "handler", null, "a KeyHandler");
      InvalidSpecException.require(stopTimeouts != null, s + "stopTimeouts", null, "StopTimeouts");
      InvalidSpecException.require(restart != null, s + "restart", null, "a RestartPolicy");
      InvalidSpecException.require(heartbeatTimeout == null || heartbeatTimeout.isPositive()
          && InvalidSpecException.notTooLong(heartbeatTimeout), s + "heartbeatTimeout",
          heartbeatTimeout, "positive and " + InvalidSpecException.AT_MOST_LONGEST
              + " (or null for none)");
      InvalidSpecException.require(threads != null, s + "threads", null, "VIRTUAL or PLATFORM");
      return new SupervisorSpec<>(this);
    }
  }
}
