package io.errand.sqlite;

import io.errand.spi.FlowLimits;
import io.errand.spi.QueueControls;
import io.errand.spi.TaskRecord;
import java.util.Optional;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The SQLite store's flow control. One process owns the file, so the pauses are read once at
 * open and kept in memory beside the rows; a pause is written by the writer thread, in the
 * order of the claims queued there, so no claim queued after it takes a task of the queue. A
 * concurrency limit is checked by each claim on the writer thread against the queue's RUNNING
 * tasks as its transaction sees them, so it is exact.
 */
final class SqliteControls implements QueueControls {
  private final Supplier<Opened> opened;

  SqliteControls(Supplier<Opened> opened) {
    this.opened = opened;
  }

  @Override
  public boolean pause(String queue, Instant at) {
    Opened o = opened.get();
    long micros = Row.micros(at);
    return o.writer.call(tx -> o.writes.setPaused(tx, queue, micros));
  }

  @Override
  public boolean resume(String queue, Instant at) {
    Opened o = opened.get();
    return o.writer.call(tx -> o.writes.setPaused(tx, queue, null));
  }

  @Override
  public void limitConcurrency(String queue, int limit) {
    opened.get().writes.limits.put(queue, QueueControls.checkLimit(queue, limit));
  }

  /** Makes the flow's index of ready tasks by key value, then claims by it. */
  @Override
  public void limitFlow(String queue, FlowLimits limits) {
    Opened o = opened.get();
    SqliteFlow flow = new SqliteFlow(queue, java.util.Objects.requireNonNull(limits, "limits"));
    o.writer.call(tx -> {
      if (flow.index() != null) {
        tx.sql.run(flow.index());
      }
      o.writes.flows.put(queue, flow); // on the writer thread: claims after it use it
      return null;
    });
  }

  @Override
  public Optional<String> heldBack(TaskRecord task, Instant now) {
    Opened o = opened.get();
    SqliteFlow flow = o.writes.flows.get(task.info().queue());
    return flow == null ? Optional.empty()
        : o.writer.call(tx -> flow.heldBack(tx, task.id(), Row.micros(now)));
  }

  @Override
  public long running(String queue) {
    return opened.get().reads.running(queue);
  }

  @Override
  public Map<String, Instant> paused() {
    Map<String, Instant> paused = new TreeMap<>();
    opened.get().writes.paused.forEach((q, micros) -> paused.put(q, Row.instant(micros)));
    return paused;
  }
}
