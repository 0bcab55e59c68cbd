package io.errand.engine;

import io.errand.api.EventListener;
import io.errand.api.Subscription;
import io.errand.api.TaskEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands events to listeners without ever making a worker wait: each listener has its own
 * bounded buffer and delivery thread ({@link ListenerSlot}). When no listener is registered,
 * {@link #active()} is false and callers skip building events at all.
 */
final class EventBus implements AutoCloseable {
  private final List<ListenerSlot> slots = new CopyOnWriteArrayList<>();
  private final int bufferSize;
  private volatile boolean active;

  EventBus(int bufferSize) {
    this.bufferSize = bufferSize;
  }

  /** Whether anyone listens; when false, publishing is a no-op. */
  boolean active() {
    return active;
  }

  Subscription subscribe(String name, EventListener listener) {
    ListenerSlot slot = new ListenerSlot(name, listener, bufferSize, this::remove);
    slots.add(slot);
    active = true;
    slot.start();
    return slot;
  }

  void publish(TaskEvent event) {
    for (ListenerSlot slot : slots) {
      slot.offer(event);
    }
  }

  private void remove(ListenerSlot slot) {
    slots.remove(slot);
    active = !slots.isEmpty();
  }

  /** Delivers what is buffered (waiting at most {@code bound} in all), then stops. */
  void drainAndClose(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    for (ListenerSlot slot : slots) {
      slot.drain(Math.max(0, deadline - System.nanoTime()));
    }
    close();
  }

  @Override
  public void close() {
    for (ListenerSlot slot : List.copyOf(slots)) {
      slot.close();
    }
  }
}
