package io.errand.spi;

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
 */
public record NewTask(String queue, long id, Object args, Instant createdAt, Instant runAt,
    int priority, String key, int capacity) {
  public NewTask {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(runAt, "runAt");
  }
}
