package io.errand.spi.contract;

import io.errand.spi.NewTask;
import java.time.Instant;

/**
 * Builders of {@link NewTask}s for tests: {@code task("q").args(1).runAt(t).priority(5).build()}.
 * Unless told otherwise a task is created at {@link #T0}, due when created, of priority 0,
 * without key or given id, with arguments {@code "args"} and a capacity too large to matter.
 */
public final class NewTasks {
  /** Where the contract's clock starts; whole seconds, so every store keeps it exactly. */
  public static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  /** A capacity no test reaches. */
  public static final int ROOMY = 1_000_000;

  private NewTasks() {}

  /** A task of {@code queue} with the defaults above. */
  public static Builder task(String queue) {
    return new Builder(queue);
  }

  /** A {@link NewTask} under construction. */
  public static final class Builder {
    private final String queue;
    private long id;
    private Object args = "args";
    private Instant createdAt = T0;
    private Instant runAt;
    private int priority;
    private String key;
    private io.errand.api.Uniqueness uniqueness;
    private int capacity = ROOMY;

    private Builder(String queue) {
      this.queue = queue;
    }

    /** A given id instead of one numbered by the store. */
    public Builder id(long id) {
      this.id = id;
      return this;
    }

    public Builder args(Object args) {
      this.args = args;
      return this;
    }

    /** When it was accepted; also its runAt unless {@link #runAt} is set. */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public Builder runAt(Instant runAt) {
      this.runAt = runAt;
      return this;
    }

    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    public Builder key(String key) {
      this.key = key;
      return this;
    }

    /** How its key is unique (needs {@link #key}). */
    public Builder unique(io.errand.api.Uniqueness uniqueness) {
      this.uniqueness = uniqueness;
      return this;
    }

    public Builder capacity(int capacity) {
      this.capacity = capacity;
      return this;
    }

    public NewTask build() {
      return new NewTask(queue, id, args, createdAt, runAt == null ? createdAt : runAt, priority,
          key, capacity, uniqueness);
    }
  }
}
