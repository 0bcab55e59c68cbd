package io.errand.memory;

import io.errand.spi.FlowKeys;
import io.errand.spi.FlowLimits;
import io.errand.spi.QueueControls;
import io.errand.spi.TaskRecord;
import java.util.Optional;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The memory store's flow control: a lane's pause and concurrency limit, set under the lane's
 * lock, so that a claim that takes the lock after {@link #pause} returned sees it; the lane
 * counts its running tasks under the same lock, so the limit is exact.
 */
final class MemoryControls implements QueueControls {
  private final MemoryState state;

  MemoryControls(MemoryState state) {
    this.state = state;
  }

  @Override
  public boolean pause(String queue, Instant at) {
    Lane lane = state.lane(queue);
    lane.lock.lock();
    try {
      if (lane.pausedAt != null) {
        return false;
      }
      lane.pausedAt = at;
      return true;
    } finally {
      lane.lock.unlock();
    }
  }

  @Override
  public boolean resume(String queue, Instant at) {
    Lane lane = state.lanes.get(queue);
    if (lane == null) {
      return false;
    }
    lane.lock.lock();
    try {
      if (lane.pausedAt == null) {
        return false;
      }
      lane.pausedAt = null;
    } finally {
      lane.lock.unlock();
    }
    state.signals().workAvailable(queue); // outside the lock: a woken worker claims at once
    return true;
  }

  @Override
  public void limitConcurrency(String queue, int limit) {
    QueueControls.checkLimit(queue, limit);
    Lane lane = state.lane(queue);
    lane.lock.lock();
    try {
      lane.concurrency = limit;
    } finally {
      lane.lock.unlock();
    }
  }

  @Override
  public void limitFlow(String queue, FlowLimits limits) {
    Lane lane = state.lane(queue);
    java.util.Objects.requireNonNull(limits, "limits");
    lane.lock.lock();
    try {
      lane.flow(new Flow(limits, (key, args) -> FlowKeys.valueOf(limits.key(), key,
          args == null ? null : state.codec().encode(args))));
    } finally {
      lane.lock.unlock();
    }
    state.signals().workAvailable(queue);
  }

  @Override
  public Optional<String> heldBack(TaskRecord task, Instant now) {
    Lane lane = state.lanes.get(task.info().queue());
    Rec r = state.index.get(task.id());
    if (lane == null || r == null) {
      return Optional.empty();
    }
    lane.lock.lock();
    try {
      return lane.flow == null || !r.isClaimable() ? Optional.empty()
          : lane.flow.heldBack(r.queue, r, Rec.micros(now));
    } finally {
      lane.lock.unlock();
    }
  }

  @Override
  public long running(String queue) {
    Lane lane = state.lanes.get(queue);
    if (lane == null) {
      return 0;
    }
    lane.lock.lock();
    try {
      return lane.running;
    } finally {
      lane.lock.unlock();
    }
  }

  @Override
  public Map<String, Instant> paused() {
    Map<String, Instant> paused = new TreeMap<>();
    state.lanes.forEach((queue, lane) -> {
      lane.lock.lock();
      try {
        if (lane.pausedAt != null) {
          paused.put(queue, lane.pausedAt);
        }
      } finally {
        lane.lock.unlock();
      }
    });
    return paused;
  }
}
