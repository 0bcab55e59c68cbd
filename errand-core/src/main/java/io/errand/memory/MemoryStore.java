package io.errand.memory;

import io.errand.spi.Groups;
import io.errand.spi.QueueControls;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoreContext;
import io.errand.spi.SupervisedKeys;
import io.errand.spi.TaskHistory;
import io.errand.spi.TaskSearch;
import io.errand.spi.TaskStore;
import io.errand.spi.Tasks;
import java.util.Optional;

/**
 * The fastest store, and the default of an embedded Errand: tasks live in this process's heap
 * and nothing survives it. Each queue has its own lock; ids come from one counter.
 *
 * <p>By default it keeps what a store keeping JSON would hand back: arguments are written as
 * JSON at the submit and read back as the queue's type, results likewise at the end, all with
 * the Errand's {@code ObjectMapper}. So a submit the SQLite or PostgreSQL store would refuse is
 * refused here too, and every store answers with equal values (copies, never the caller's own
 * objects). That costs one write and one read of JSON per submit and per result (about 1 to 2
 * microseconds for a small record). {@link Payloads#BY_REFERENCE} keeps the objects themselves
 * instead, for the fastest in-process queues that never move to another store. Executor queues
 * ({@code QueueSpec.forExecutor}) keep their callables by reference either way.
 */
public final class MemoryStore implements TaskStore {
  /** How the store keeps arguments and results. */
  public enum Payloads {
    /** Copies through JSON, as the stores keeping JSON hand them back (the default). */
    COPIED_THROUGH_JSON,
    /** The objects themselves, as given: no JSON, but values differ from the other stores'. */
    BY_REFERENCE
  }

  private final MemoryState state;
  private final MemoryTasks tasks;
  private final MemoryGroups groups;
  private final SavedKeys keys = new SavedKeys();
  private final MemorySchedules schedules = new MemorySchedules(this);
  private final MemorySearch search;
  private final MemoryControls controls;
  private final MemoryHistory history = new MemoryHistory();

  /** An empty store that copies payloads through JSON. */
  public MemoryStore() {
    this(Payloads.COPIED_THROUGH_JSON);
  }

  /**
   * An empty store keeping payloads as {@code payloads} says.
   *
   * @throws NullPointerException if {@code payloads} is null
   */
  public MemoryStore(Payloads payloads) {
    this.state = new MemoryState(java.util.Objects.requireNonNull(payloads, "payloads"));
    this.tasks = new MemoryTasks(state);
    this.groups = new MemoryGroups(state);
    this.search = new MemorySearch(state);
    this.controls = new MemoryControls(state);
  }

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

  /** Pauses in this process's heap: gone with it, as the tasks are. */
  @Override
  public QueueControls controls() {
    return controls;
  }

  /** Schedules in this process's heap, beside the tasks. */
  @Override
  public Optional<ScheduleStore> schedules() {
    return Optional.of(schedules);
  }

  @Override
  public Optional<TaskSearch> search() {
    return Optional.of(search);
  }

  @Override
  public Optional<TaskHistory> history() {
    return Optional.of(history);
  }

  @Override
  public void close() {
    // Nothing to release: the heap goes with the process.
  }
}
