package io.errand.spi;

import java.util.Optional;

/**
 * Where tasks live: what a backend (memory, SQLite, PostgreSQL) implements so the engine can
 * keep tasks in it. A store hands out one object per role, each a small interface: its
 * {@link #tasks() tasks}, its {@link #groups() groups} (batches and chains) and its
 * {@link #keys() supervised keys} and, when it keeps them, its {@link #schedules() schedules}. Every role's methods are thread-safe and meant to be called
 * between {@link #open} and {@link #close}; a store may refuse them before or after with
 * {@link IllegalStateException}. More roles are added beside these as new interfaces, so that
 * no role grows wide; a role not every store has is an {@link Optional}.
 */
public interface TaskStore extends AutoCloseable {

  /**
   * Called once by the engine before any role is used.
   *
   * @throws IllegalStateException if the store was opened before
   */
  void open(StoreContext context);

  /** Whether tasks survive the process (then shutdown requeues instead of cancelling). */
  boolean durable();

  /**
   * Whether other processes may end this store's tasks (a store several nodes share). Their
   * ends reach no {@link StoreSignals} here, so the engine then reads the store now and then for
   * the tasks its callers {@code await}. False by default.
   */
  default boolean shared() {
    return false;
  }

  /** The store's tasks: insert, claim, the changes of a running attempt, cancel, reads. */
  Tasks tasks();

  /** The store's groups: batches and chains inserted as one, their counts, chain releases. */
  Groups groups();

  /** The supervised keys the store keeps, so that a durable store starts them again on boot. */
  SupervisedKeys keys();

  /**
   * The store's flow control: which queues are paused. Claims of the store honour it, so a
   * pause holds on every node sharing the store, and a durable store keeps it across restarts.
   */
  QueueControls controls();

  /**
   * The store's schedules, whose {@link ScheduleStore#advance fire} inserts the occurrence's
   * task into this store's tasks atomically with the move of the schedule's next occurrence;
   * empty when the store keeps none (then {@code Errand.schedules()} refuses with code
   * {@code schedules_unsupported}). Empty by default.
   */
  default Optional<ScheduleStore> schedules() {
    return Optional.empty();
  }

  /**
   * The store's searches (by filter, counts, failures grouped by error); empty when it has none
   * (then {@code Errand.search} and the others refuse with code {@code search_unsupported}).
   * Empty by default.
   */
  default Optional<TaskSearch> search() {
    return Optional.empty();
  }

  /**
   * The store's history of what each queue did per minute (throughput, failures, wait and run
   * times), bounded in time; empty when it keeps none (then {@code Errand.history} refuses with
   * code {@code history_unsupported}). Empty by default.
   */
  default Optional<TaskHistory> history() {
    return Optional.empty();
  }

  /**
   * The cluster's event log and view, for a store shared by nodes that keeps one. Empty by
   * default: the engine then publishes its events to this process's listeners only.
   */
  default Optional<ClusterStore> cluster() {
    return Optional.empty();
  }

  /** Releases the store's resources. Harmless twice. */
  @Override
  void close();
}
