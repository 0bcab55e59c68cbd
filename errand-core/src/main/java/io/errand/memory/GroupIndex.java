package io.errand.memory;

import io.errand.api.BatchStatus;
import io.errand.api.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The memory store's batches and chains: each group's records, in submit order. */
final class GroupIndex {
  private final ConcurrentHashMap<Long, Rec[]> groups = new ConcurrentHashMap<>();
  private final TaskIndex tasks;
  private final Map<String, Lane> lanes;

  GroupIndex(TaskIndex tasks, Map<String, Lane> lanes) {
    this.tasks = tasks;
    this.lanes = lanes;
  }

  void add(long group, Rec[] recs) {
    groups.put(group, recs);
  }

  BatchStatus status(long group) {
    Rec[] recs = groups.get(group);
    if (recs == null) {
      return null;
    }
    long[] by = new long[TaskStatus.values().length];
    int stored = 0;
    for (Rec r : recs) {
      if (tasks.holds(r)) { // purged or deleted tasks are no longer counted
        by[statusOf(r).ordinal()]++;
        stored++;
      }
    }
    if (stored == 0) {
      return null;
    }
    return new BatchStatus(group, stored, by[TaskStatus.WAITING.ordinal()],
        by[TaskStatus.RUNNING.ordinal()], by[TaskStatus.SUCCESS.ordinal()],
        by[TaskStatus.FAILURE.ordinal()], by[TaskStatus.CANCELLED.ordinal()]);
  }

  List<Long> live(long group) {
    Rec[] recs = groups.get(group);
    List<Long> live = new ArrayList<>();
    if (recs != null) {
      for (Rec r : recs) {
        if (statusOf(r).isLive()) {
          live.add(r.id);
        }
      }
    }
    return live;
  }

  /** The ids of the group's tasks, lowest first. */
  List<Long> members(long group) {
    Rec[] recs = groups.get(group);
    List<Long> ids = new ArrayList<>();
    if (recs != null) {
      for (Rec r : recs) {
        ids.add(r.id);
      }
    }
    ids.sort(null);
    return ids;
  }

  /** Drops a group once retention removed all of its tasks. */
  void forgetIfGone(long group) {
    Rec[] recs = groups.get(group);
    if (recs == null) {
      return;
    }
    for (Rec r : recs) {
      if (tasks.holds(r)) {
        return;
      }
    }
    groups.remove(group);
  }

  private TaskStatus statusOf(Rec r) {
    Lane lane = lanes.get(r.queue);
    lane.lock.lock();
    try {
      return r.status();
    } finally {
      lane.lock.unlock();
    }
  }
}
