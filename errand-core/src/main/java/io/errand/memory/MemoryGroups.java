package io.errand.memory;

import io.errand.api.BatchStatus;
import io.errand.api.TaskStatus;
import io.errand.spi.GroupInserted;
import io.errand.spi.GroupKind;
import io.errand.spi.Groups;
import io.errand.spi.NewTask;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The memory store's batches and chains. */
final class MemoryGroups implements Groups {
  private final MemoryState state;
  private final GroupInsert insert;

  MemoryGroups(MemoryState state) {
    this.state = state;
    this.insert = new GroupInsert(state.index, state.lanes, state.groups, state.newLane);
  }

  @Override
  public GroupInserted insert(List<NewTask> tasks, GroupKind kind) {
    return insert.insert(tasks.stream().map(state::copied).toList(), kind, state.signals());
  }

  @Override
  public void release(long id, Object result, Instant now) {
    Rec r = state.index.get(id);
    if (r == null) {
      return;
    }
    Object previousResult = state.copiedPreviousResult(id, result);
    Lane lane = state.lanes.get(r.queue);
    lane.lock.lock();
    try {
      if (r.status() != TaskStatus.WAITING || !r.held) {
        return;
      }
      r.held = false;
      r.previousResult = previousResult;
      r.runAt(now);
      lane.enqueue(r, r.runAtMicros);
    } finally {
      lane.lock.unlock();
    }
    state.signals().workAvailable(r.queue);
  }

  @Override
  public Optional<BatchStatus> status(long group) {
    return Optional.ofNullable(state.groups.status(group));
  }

  @Override
  public List<Long> live(long group) {
    return state.groups.live(group);
  }

  @Override
  public List<Long> members(long group) {
    return state.groups.members(group).stream().filter(id -> state.index.get(id) != null)
        .toList();
  }
}
