package io.errand.engine;

import io.errand.api.TaskEvent;
import io.errand.spi.StoreSignals;
import io.errand.spi.TaskRecord;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * What the store tells the engine, handed to the store only (never to users): a task added
 * counts for its queue and is announced, work available wakes the queue, an end goes to the
 * engine's one end path, a cancel request to the running attempt.
 */
final class EngineSignals implements StoreSignals {
  private final Map<String, QueueRunner> runners;
  private final TaskEvents events;
  private final Completions completions;
  private final Consumer<TaskRecord> finished;
  private final LongConsumer cancelRequested;

  EngineSignals(Map<String, QueueRunner> runners, TaskEvents events, Completions completions,
      Consumer<TaskRecord> finished, LongConsumer cancelRequested) {
    this.runners = runners;
    this.events = events;
    this.completions = completions;
    this.finished = finished;
    this.cancelRequested = cancelRequested;
  }

  @Override
  public void added(long id, String queue, String key, Instant createdAt) {
    QueueRunner r = runners.get(queue);
    if (r != null) {
      r.added();
    }
    events.added(id, queue, key, createdAt);
  }

  @Override
  public void ended(TaskRecord record) {
    finished.accept(record);
  }

  @Override
  public void event(TaskEvent event) {
    events.logged(event);
    switch (event.type()) {
      case SUCCEEDED, FAILED, CANCELLED -> completions.endedSomewhere(event.taskId());
      default -> { }
    }
  }

  @Override
  public void workAvailable(String queue) {
    QueueRunner r = runners.get(queue);
    if (r != null) {
      r.signal();
    }
  }

  @Override
  public void cancelRequested(long id) {
    cancelRequested.accept(id);
  }
}
