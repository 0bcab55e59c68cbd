package io.errand.spi;

import io.errand.api.Uniqueness;
import java.time.Instant;
import java.util.Objects;

/**
 * A task to insert.
 *
 * @param queue     its queue
 * @param id        its id, or 0 to let the store number it
 * @param args      its arguments (stores encode them through the codec; the memory store keeps
 *                  a copy read back through it, or the object with {@code Payloads.BY_REFERENCE})
 * @param createdAt when it was accepted
 * @param runAt     the earliest start
 * @param priority  higher runs first
 * @param key       unique key among the queue's live tasks, or null
 * @param capacity  the queue's capacity: refuse the insert when this many tasks are waiting
 * @param uniqueness how {@code key} is unique; null for {@link Uniqueness#LIVE}
 */
public record NewTask(String queue, long id, Object args, Instant createdAt, Instant runAt,
    int priority, String key, int capacity, Uniqueness uniqueness) {
  public NewTask {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(runAt, "runAt");
    if (uniqueness != null && key == null) {
      throw new IllegalArgumentException("a uniqueness needs a key");
    }
  }

  /** A task whose key, if any, is unique among live tasks ({@link Uniqueness#LIVE}). */
  public NewTask(String queue, long id, Object args, Instant createdAt, Instant runAt,
      int priority, String key, int capacity) {
    this(queue, id, args, createdAt, runAt, priority, key, capacity, null);
  }

  /** How the key is unique: {@link #uniqueness}, or {@link Uniqueness#LIVE} if none. */
  public Uniqueness effectiveUniqueness() {
    return uniqueness == null ? Uniqueness.LIVE : uniqueness;
  }

  /**
   * Whether the key's uniqueness asks more than one live task per key answered as it is
   * (a period, finished states or a conflict mode that changes the holder): stores may insert
   * plain keyed tasks on a faster path.
   */
  public boolean hasRichUniqueness() {
    return uniqueness != null && !uniqueness.equals(Uniqueness.LIVE);
  }

  /** This task with {@code args} (the encoded form, say). */
  public NewTask withArgs(Object args) {
    return new NewTask(queue, id, args, createdAt, runAt, priority, key, capacity, uniqueness);
  }
}
