package io.errand.memory;

import io.errand.api.PayloadEncodingException;
import io.errand.api.TaskError;
import io.errand.spi.NewTask;
import io.errand.spi.Outcome;
import io.errand.spi.StoreContext;
import io.errand.spi.StoreSignals;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** What the memory store's roles share: the tasks, the queues' lanes, the groups, the context. */
final class MemoryState {
  final TaskIndex index = new TaskIndex();
  final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
  final GroupIndex groups = new GroupIndex(index, lanes);
  final Function<String, Lane> newLane = q -> new Lane();
  private final MemoryStore.Payloads payloads;
  private volatile StoreContext context;

  MemoryState(MemoryStore.Payloads payloads) {
    this.payloads = payloads;
  }

  void open(StoreContext context) {
    this.context = context;
  }

  StoreSignals signals() {
    return opened().signals();
  }

  io.errand.spi.PayloadCodec codec() {
    return opened().codec();
  }

  InstantSource clock() {
    return opened().clock();
  }

  /**
   * {@code task} with its arguments as a store keeping JSON would hand them back (unless
   * payloads are kept by reference).
   *
   * @throws PayloadEncodingException if they cannot be written as JSON: the insert is refused
   */
  NewTask copied(NewTask task) {
    if (payloads == MemoryStore.Payloads.BY_REFERENCE || task.args() == null) {
      return task;
    }
    return task.withArgs(opened().codec().copyArgs(task.queue(), task.args()));
  }

  /**
   * {@code outcome} with a success's result copied as {@link #copied(NewTask)} copies
   * arguments. A result that cannot be written as JSON fails the task with that error, as it
   * does in the stores that keep JSON: the work is done, but its result cannot be kept.
   */
  Outcome copied(long id, String queue, int attempt, Outcome outcome, Instant at) {
    if (payloads == MemoryStore.Payloads.BY_REFERENCE
        || !(outcome instanceof Outcome.Succeeded s) || s.result() == null) {
      return outcome;
    }
    try {
      return new Outcome.Succeeded(opened().codec().copyResult(queue, id, s.result()));
    } catch (PayloadEncodingException e) {
      return new Outcome.Failed(new TaskError(attempt, e.getClass().getName(), e.getMessage(),
          at));
    }
  }

  /** The result handed to chain step {@code id}, copied as the stores keeping JSON hand it. */
  Object copiedPreviousResult(long id, Object previousResult) {
    return payloads == MemoryStore.Payloads.BY_REFERENCE ? previousResult
        : opened().codec().copyPreviousResult(id, previousResult);
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
