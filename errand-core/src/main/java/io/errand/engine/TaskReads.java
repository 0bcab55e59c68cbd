package io.errand.engine;

import io.errand.api.ErrandException;
import io.errand.api.FailureGroup;
import io.errand.api.Page;
import io.errand.api.TaskFilter;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.spi.ProgressAnswer;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskSearch;
import io.errand.spi.TaskStore;
import java.util.List;
import java.util.Optional;

/**
 * What users read of tasks through the store (one task, a page, a search, failure groups), and
 * progress reported from outside a handler: each answers from the store, so it sees tasks of
 * every node.
 */
final class TaskReads {
  private final TaskStore store;
  private final TaskEvents events;

  TaskReads(TaskStore store, TaskEvents events) {
    this.store = store;
    this.events = events;
  }

  Optional<TaskInfo> get(long id) {
    return store.tasks().find(id).map(TaskRecord::info);
  }

  Page<TaskInfo> list(TaskQuery query) {
    return infos(store.tasks().list(query));
  }

  Page<TaskInfo> search(TaskFilter filter, int limit, long cursor) {
    return infos(searchRole().find(filter, limit, cursor));
  }

  long count(TaskFilter filter) {
    return searchRole().count(filter);
  }

  List<FailureGroup> failures(TaskFilter filter, int limit) {
    return searchRole().failures(filter, limit);
  }

  /**
   * Progress of running task {@code id} reported from outside its handler; false if it is not
   * running (any more).
   *
   * @throws IllegalArgumentException if {@code current} or {@code total} is negative
   */
  boolean reportProgress(long id, long current, long total, String message) {
    if (current < 0 || total < 0) {
      throw new IllegalArgumentException(
          "progress must not be negative: current=" + current + ", total=" + total);
    }
    // Through the store rather than this process's attempts, so that a report reaches a task
    // running on any node; the store's fencing by attempt refuses it once that attempt ended.
    TaskInfo info = store.tasks().find(id).map(TaskRecord::info).orElse(null);
    if (info == null || info.status() != TaskStatus.RUNNING
        || store.tasks().progress(id, info.attempt(), current, total, message)
            == ProgressAnswer.FENCED_OUT) {
      return false;
    }
    events.progress(id, info.queue(), info.attempt(), info.key(), current, total, message);
    return true;
  }

  private static Page<TaskInfo> infos(Page<TaskRecord> page) {
    return new Page<>(page.items().stream().map(TaskRecord::info).toList(), page.nextCursor());
  }

  private TaskSearch searchRole() {
    return store.search().orElseThrow(() -> new ErrandException("search_unsupported",
        "this store (" + store.getClass().getSimpleName() + ") cannot search its tasks"));
  }
}
