package io.errand.spi.contract;

import io.errand.spi.StoreSignals;
import io.errand.spi.TaskRecord;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link StoreSignals} that remembers every call, in order, so tests can check which signals a
 * store raised. Stores may deliver signals from other threads (a database's notifications), so
 * tests read them with Awaitility rather than right after the call.
 */
public final class RecordingSignals implements StoreSignals {
  private final List<Long> added = new CopyOnWriteArrayList<>();
  private final List<String> workAvailable = new CopyOnWriteArrayList<>();
  private final List<Long> cancelRequested = new CopyOnWriteArrayList<>();
  private final List<TaskRecord> ended = new CopyOnWriteArrayList<>();

  @Override
  public void added(long id, String queue, String key, Instant createdAt) {
    added.add(id);
  }

  @Override
  public void workAvailable(String queue) {
    workAvailable.add(queue);
  }

  @Override
  public void cancelRequested(long id) {
    cancelRequested.add(id);
  }

  @Override
  public void ended(TaskRecord record) {
    ended.add(record);
  }

  /** The records of every {@link #ended} call so far, oldest first. */
  public List<TaskRecord> ended() {
    return List.copyOf(ended);
  }

  /** The ids of every {@link #added} call so far, oldest first. */
  public List<Long> added() {
    return List.copyOf(added);
  }

  /** The queues of every {@link #workAvailable} call so far, oldest first. */
  public List<String> workAvailable() {
    return List.copyOf(workAvailable);
  }

  /** The ids of every {@link #cancelRequested} call so far, oldest first. */
  public List<Long> cancelRequested() {
    return List.copyOf(cancelRequested);
  }

  /** Forgets every call so far. */
  public void clear() {
    added.clear();
    workAvailable.clear();
    cancelRequested.clear();
    ended.clear();
  }
}
