package io.errand.memory;

import io.errand.spi.StoreContext;
import io.errand.spi.StoreSignals;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** What the memory store's roles share: the tasks, the queues' lanes, the groups, the context. */
final class MemoryState {
  final TaskIndex index = new TaskIndex();
  final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
  final GroupIndex groups = new GroupIndex(index, lanes);
  final Function<String, Lane> newLane = q -> new Lane();
  private volatile StoreContext context;

  void open(StoreContext context) {
    this.context = context;
  }

  StoreSignals signals() {
    return opened().signals();
  }

  InstantSource clock() {
    return opened().clock();
  }

  Lane lane(String queue) {
    return lanes.computeIfAbsent(queue, newLane);
  }

  /** What {@code read} answers about {@code r}, under its lane's lock. */
  <T> T locked(Rec r, Function<Rec, T> read) {
    Lane lane = lanes.get(r.queue);
    lane.lock.lock();
    try {
      return read.apply(r);
    } finally {
      lane.lock.unlock();
    }
  }

  private StoreContext opened() {
    StoreContext c = context;
    if (c == null) {
      throw new IllegalStateException("the memory store is not open yet");
    }
    return c;
  }
}
