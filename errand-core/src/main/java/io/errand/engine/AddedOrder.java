package io.errand.engine;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a task's ADDED event first. A worker may claim a task (or a canceller end it) before the
 * submitting thread has published ADDED. Each new task is therefore touched exactly twice:
 * by its submitter, and by the worker starting its first attempt or by whoever ends it before
 * it ever started. The first touch publishes ADDED, under the map's per-id lock, and the second
 * removes the mark; the second toucher publishes its own event only after that. Costs two map
 * operations per task, and only while someone listens.
 */
final class AddedOrder {
  private final ConcurrentHashMap<Long, Boolean> announced = new ConcurrentHashMap<>();

  /** Publishes ADDED if this is the first touch of task {@code id}. */
  void touch(long id, Runnable publishAdded) {
    announced.compute(id, (k, seen) -> {
      if (seen == null) {
        publishAdded.run();
        return Boolean.TRUE;
      }
      return null;
    });
  }

  /** Tasks touched once so far (for tests: 0 in a quiet engine). */
  int pending() {
    return announced.size();
  }
}
