package io.errand.engine;

import io.errand.api.BatchStatus;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.spi.CancelAnswer;
import io.errand.spi.GroupKind;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Releases or cancels a batch's callback (a held task every task of the batch names as its
 * {@code next}) when a task of the batch ends.
 *
 * <p><b>Exactly once.</b> Whoever ends a task of the batch (any node, any thread) looks, after
 * its end was recorded, at the group's counts: the last ender always sees none live, since
 * every other end was recorded before its own. Several may see it (two nodes end the last two
 * tasks at once); each then releases the callback, and the store's release changes only a
 * task that is still held, so it is released, and runs, once. A cancel of a callback already
 * released or cancelled changes nothing either. A crash between the last end and the release
 * leaves the callback held until a node starts ({@link #recover}).
 */
final class BatchCallbacks {
  private final TaskStore store;
  private final InstantSource clock;
  private final Consumer<TaskRecord> onFinished;

  BatchCallbacks(TaskStore store, InstantSource clock, Consumer<TaskRecord> onFinished) {
    this.store = store;
    this.clock = clock;
    this.onFinished = onFinished;
  }

  /**
   * If {@code next}, the task that ended task {@code ended} names, is a batch callback, acts on
   * it and answers true; false if it is a chain's next step (the caller continues the chain).
   */
  boolean ended(TaskInfo ended, long next) {
    TaskRecord callback = store.tasks().find(next).orElse(null);
    GroupKind kind = callback == null ? null : GroupKind.ofCallbackMark(callback.next());
    if (kind == null) {
      return false;
    }
    if (callback.info().status() != TaskStatus.WAITING) {
      return true; // released or cancelled already
    }
    if (kind == GroupKind.BATCH_CALLBACK_ON_SUCCESS && ended.status() != TaskStatus.SUCCESS) {
      cancel(next, "task " + ended.id() + " of batch " + ended.group() + " ended "
          + ended.status() + (ended.message().isEmpty() ? "" : ": " + ended.message()));
      return true;
    }
    BatchStatus status = store.groups().status(ended.group()).orElse(null);
    if (status == null || status.waiting() + status.running() > 0) {
      return true;
    }
    if (kind == GroupKind.BATCH_CALLBACK_ON_SUCCESS && status.succeeded() < status.total()) {
      cancel(next, "batch " + ended.group() + " did not all succeed: " + status.failed()
          + " failed, " + status.cancelled() + " cancelled");
      return true;
    }
    store.groups().release(next, outcome(status), clock.instant());
    return true;
  }

  /**
   * Releases or cancels the held callbacks whose batch ended while no node acted on it (the
   * node that ended the last task died first). Safe on every node at once: a release or a
   * cancel changes only a callback still held.
   */
  void recover() {
    for (Map.Entry<Long, Long> e : store.groups().heldCallbacks().entrySet()) {
      long group = e.getValue();
      TaskRecord callback = store.tasks().find(e.getKey()).orElse(null);
      GroupKind kind = callback == null ? null : GroupKind.ofCallbackMark(callback.next());
      BatchStatus status = group == 0 ? null : store.groups().status(group).orElse(null);
      if (kind == null || status == null || status.waiting() + status.running() > 0) {
        continue; // the batch's last end will act on it
      }
      if (kind == GroupKind.BATCH_CALLBACK_ON_SUCCESS && status.succeeded() < status.total()) {
        cancel(e.getKey(), "batch " + group + " did not all succeed: " + status.failed()
            + " failed, " + status.cancelled() + " cancelled");
      } else {
        store.groups().release(e.getKey(), outcome(status), clock.instant());
      }
    }
  }

  private void cancel(long callback, String reason) {
    if (store.tasks().requestCancel(callback, reason, clock.instant())
        instanceof CancelAnswer.Cancelled c) {
      onFinished.accept(c.record());
    }
  }

  /** What the callback's handler reads as its previous result: counts and each result. */
  private Map<String, Object> outcome(BatchStatus status) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("group", status.group());
    out.put("total", status.total());
    out.put("succeeded", status.succeeded());
    out.put("failed", status.failed());
    out.put("cancelled", status.cancelled());
    List<Map<String, Object>> results = new ArrayList<>();
    for (long id : store.groups().members(status.group())) {
      store.tasks().find(id).map(TaskRecord::info).ifPresent(t -> {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", t.id());
        r.put("status", t.status().name());
        r.put("response", t.response());
        results.add(r);
      });
    }
    out.put("results", results);
    return out;
  }
}
