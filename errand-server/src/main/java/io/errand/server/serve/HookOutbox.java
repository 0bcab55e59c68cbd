package io.errand.server.serve;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hook target's queue of events and the thread that delivers them in order. The engine's
 * listener only offers: a slow or dead target fills its own queue and loses its own events
 * (counted and logged), never anyone else's, and never holds up the tasks.
 */
final class HookOutbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HookOutbox.class);
  private static final Map<String, Object> STOP = java.util.Collections.unmodifiableMap(
      new java.util.HashMap<>()); // a unique instance: compared by identity

  private final String name;
  private final BlockingQueue<Map<String, Object>> pending;
  private final Consumer<Map<String, Object>> deliver;
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;

  /**
   * Starts the delivery thread.
   *
   * @param name     the target as it may be shown (already redacted)
   * @param capacity how many events may wait
   * @param deliver  delivers one event; what it throws is logged and the event is dropped
   */
  HookOutbox(String name, int capacity, Consumer<Map<String, Object>> deliver) {
    this.name = name;
    this.pending = new ArrayBlockingQueue<>(capacity);
    this.deliver = deliver;
    this.thread = Thread.ofVirtual().name("errand-hook " + name).start(this::drain);
  }

  /** Queues {@code event} for delivery, or drops it when the queue is full. */
  void offer(Map<String, Object> event) {
    if (!pending.offer(event)) {
      long n = dropped.incrementAndGet();
      if (Long.bitCount(n) == 1) { // 1, 2, 4, 8...: says so without flooding the log
        log.warn("hook {} is too slow: {} events dropped so far", name, n);
      }
    }
  }

  /** Events dropped because the queue was full. */
  long dropped() {
    return dropped.get();
  }

  /** Events waiting for delivery. */
  int pending() {
    return pending.size();
  }

  private void drain() {
    while (true) {
      Map<String, Object> event;
      try {
        event = pending.take();
      } catch (InterruptedException e) {
        return;
      }
      if (event == STOP) {
        return;
      }
      try {
        deliver.accept(event);
      } catch (RuntimeException e) {
        log.warn("hook {} failed for task {}: {}", name, event.get("task_id"), e.getMessage());
      }
    }
  }

  /** Delivers what is queued, for up to {@code wait}, then stops. */
  void close(Duration wait) {
    boolean queued = false;
    try {
      queued = pending.offer(STOP, wait.toMillis(), TimeUnit.MILLISECONDS);
      thread.join(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!queued || thread.isAlive()) {
      thread.interrupt();
      log.warn("hook {} stopped with {} events undelivered", name, pending.size());
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
