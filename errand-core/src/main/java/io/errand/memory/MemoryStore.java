package io.errand.memory;

import io.errand.spi.Groups;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoreContext;
import io.errand.spi.SupervisedKeys;
import io.errand.spi.TaskStore;
import io.errand.spi.Tasks;
import java.util.Optional;

/**
 * The fastest store, and the default of an embedded Errand: tasks live in this process's heap
 * and nothing survives it. Each queue has its own lock; ids come from one counter.
 */
public final class MemoryStore implements TaskStore {
  private final MemoryState state = new MemoryState();
  private final MemoryTasks tasks = new MemoryTasks(state);
  private final MemoryGroups groups = new MemoryGroups(state);
  private final SavedKeys keys = new SavedKeys();
  private final MemorySchedules schedules = new MemorySchedules(this);

  /** An empty store. */
  public MemoryStore() {}

  @Override
  public void open(StoreContext context) {
    state.open(context);
  }

  /** False: nothing survives the process. */
  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public Tasks tasks() {
    return tasks;
  }

  @Override
  public Groups groups() {
    return groups;
  }

  @Override
  public SupervisedKeys keys() {
    return keys;
  }

  /** Schedules in this process's heap, beside the tasks. */
  @Override
  public Optional<ScheduleStore> schedules() {
    return Optional.of(schedules);
  }

  @Override
  public void close() {
    // Nothing to release: the heap goes with the process.
  }
}
