package io.errand.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@link TaskStore} that hands every call on to another store: the base of a wrapper that
 * changes some roles (masks what a role writes, watches what a role is asked) and leaves the
 * others as they are. A subclass overrides only what it changes. Every method of the interface
 * is forwarded here, its defaults too, so a wrapper cannot quietly answer with a default (an
 * empty {@link #search()}, a false {@link #shared()}) where the wrapped store has more; a test
 * of errand-core fails when the interface gains a method this class does not forward.
 *
 * <p>It adds no behaviour and no state of its own: it is as thread-safe as the wrapped store,
 * and what a call throws is what the wrapped store threw.
 */
public abstract class ForwardingTaskStore implements TaskStore {
  private final TaskStore delegate;

  /**
   * A store that forwards to {@code delegate}.
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  protected ForwardingTaskStore(TaskStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The wrapped store, as given to the constructor. */
  protected final TaskStore delegate() {
    return delegate;
  }

  @Override
  public void open(StoreContext context) {
    delegate.open(context);
  }

  @Override
  public boolean durable() {
    return delegate.durable();
  }

  @Override
  public boolean shared() {
    return delegate.shared();
  }

  @Override
  public Tasks tasks() {
    return delegate.tasks();
  }

  @Override
  public Groups groups() {
    return delegate.groups();
  }

  @Override
  public SupervisedKeys keys() {
    return delegate.keys();
  }

  @Override
  public QueueControls controls() {
    return delegate.controls();
  }

  @Override
  public Optional<ScheduleStore> schedules() {
    return delegate.schedules();
  }

  @Override
  public Optional<TaskSearch> search() {
    return delegate.search();
  }

  @Override
  public Optional<TaskHistory> history() {
    return delegate.history();
  }

  @Override
  public Optional<ClusterStore> cluster() {
    return delegate.cluster();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
