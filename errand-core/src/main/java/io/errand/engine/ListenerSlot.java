package io.errand.engine;

import io.errand.api.EventListener;
import io.errand.api.Subscription;
import io.errand.api.TaskEvent;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's buffer and delivery thread. {@link #offer} never blocks: when the buffer is
 * full the event is dropped and counted, and the first drop is logged with the listener's name.
 * A listener that throws is logged once and keeps receiving.
 */
final class ListenerSlot implements Subscription {
  private static final Logger log = LoggerFactory.getLogger(ListenerSlot.class);

  private final String name;
  private final EventListener listener;
  private final EventRing<TaskEvent> buffer;
  private final Consumer<ListenerSlot> onClose;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;

  ListenerSlot(String name, EventListener listener, int bufferSize,
      Consumer<ListenerSlot> onClose) {
    this.name = name;
    this.listener = listener;
    this.buffer = new EventRing<>(bufferSize);
    this.onClose = onClose;
    // A platform thread: under full load, virtual workers would starve a virtual deliverer.
    this.thread = Thread.ofPlatform().daemon().name("errand-listener-" + name)
        .unstarted(this::deliver);
  }

  void start() {
    thread.start();
  }

  void offer(TaskEvent event) {
    if (!buffer.offer(event) && dropped.getAndIncrement() == 0) {
      log.warn("event listener '{}' is too slow: its buffer of {} events is full, so new events"
          + " are dropped for it (workers never wait for listeners)", name, buffer.capacity());
    }
  }

  @Override
  public long dropped() {
    return dropped.get();
  }

  private void deliver() {
    while (!closed.get() || !buffer.isEmpty()) {
      TaskEvent event = buffer.poll();
      if (event == null) {
        buffer.awaitElement(100_000_000L);
        if (Thread.currentThread().isInterrupted() && closed.get()) {
          return;
        }
      } else {
        call(event);
      }
    }
  }

  private void call(TaskEvent event) {
    try {
      listener.onEvent(event);
    } catch (Exception | Error e) {
      if (failures.getAndIncrement() == 0) {
        log.error("event listener '{}' threw on {} of task {}; it keeps receiving events, and "
            + "further failures are counted, not logged", name, event.type(), event.taskId(), e);
      }
    }
  }

  void drain(long nanos) {
    long deadline = System.nanoTime() + nanos;
    while (!buffer.isEmpty() && System.nanoTime() < deadline && thread.isAlive()) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      thread.interrupt();
      onClose.accept(this);
    }
  }
}
