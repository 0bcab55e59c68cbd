package io.errand.spring;

import io.errand.api.Errand;
import io.errand.api.StoreCannotJoinTransactionException;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskQueue;
import java.sql.Connection;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Submits tasks that join the caller's Spring-managed transaction: called inside a
 * {@code @Transactional} method (or a {@code TransactionTemplate}), the task is written with the
 * transaction's own connection, so it exists once that transaction commits, together with the
 * rows it wrote, and never if it rolls back; no worker sees it before the commit. Outside a
 * transaction it submits as {@link Errand#submit(String, Object, SubmitOptions)} does.
 *
 * <p>Joining needs the PostgreSQL store on the transaction's {@link DataSource}; the
 * auto-configuration gives the template that store's {@code DataSource}. With a store that
 * cannot join (memory, SQLite) a submit inside a transaction is refused with
 * {@link StoreCannotJoinTransactionException}, rather than quietly committed on
 * its own: call {@link Errand#submit(String, Object)} directly when that is what you want.
 * Thread-safe.
 */
public final class ErrandTemplate {
  private final Errand errand;
  private final DataSource dataSource;

  /**
   * A template whose submits join transactions on {@code dataSource}.
   *
   * @param errand     the Errand the tasks go to
   * @param dataSource the {@code DataSource} of the Errand's PostgreSQL store, or null when the
   *                   store is not on a {@code DataSource} of the application
   */
  public ErrandTemplate(Errand errand, DataSource dataSource) {
    this.errand = Objects.requireNonNull(errand, "errand");
    this.dataSource = dataSource;
  }

  /**
   * Adds a task to {@code queue}, in the current transaction if there is one.
   *
   * @return the new task's id
   * @throws io.errand.api.StoreCannotJoinTransactionException inside a transaction, if the store
   *     cannot join it
   * @see Errand#submit(String, Object)
   */
  public long submit(String queue, Object args) {
    return submit(queue, args, SubmitOptions.DEFAULTS);
  }

  /**
   * Adds a task with {@code options} to {@code queue}, in the current transaction if there is
   * one. With a key that a live task of the queue already has, returns that task's id.
   *
   * @return the task's id
   * @throws io.errand.api.StoreCannotJoinTransactionException inside a transaction, if the store
   *     cannot join it
   * @see Errand#submit(Connection, String, Object, SubmitOptions)
   */
  public long submit(String queue, Object args, SubmitOptions options) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      return errand.submit(queue, args, options);
    }
    if (dataSource == null) {
      throw new StoreCannotJoinTransactionException("this Errand's store (not the PostgreSQL"
          + " store on the application's DataSource, errand.store.type: postgres)");
    }
    Connection connection = DataSourceUtils.getConnection(dataSource);
    try {
      return errand.submit(connection, queue, args, options);
    } finally {
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }

  /**
   * Adds a task to a typed queue, in the current transaction if there is one.
   *
   * @param <A>   the queue's argument type
   * @param queue the queue, from {@link Errand#queue(io.errand.api.QueueSpec)}
   * @param args  the task's arguments
   * @return the new task's id
   * @throws io.errand.api.StoreCannotJoinTransactionException inside a transaction, if the store
   *     cannot join it
   */
  public <A> long submit(TaskQueue<A, ?> queue, A args) {
    return submit(queue.name(), args, SubmitOptions.DEFAULTS);
  }

  /**
   * Adds a task with {@code options} to a typed queue, in the current transaction if there is
   * one.
   *
   * @param <A>     the queue's argument type
   * @param queue   the queue, from {@link Errand#queue(io.errand.api.QueueSpec)}
   * @param args    the task's arguments
   * @param options delay, priority, unique key
   * @return the task's id
   * @throws io.errand.api.StoreCannotJoinTransactionException inside a transaction, if the store
   *     cannot join it
   */
  public <A> long submit(TaskQueue<A, ?> queue, A args, SubmitOptions options) {
    return submit(queue.name(), args, options);
  }

  /** The Errand this template submits to, for everything else (reads, cancels, awaits). */
  public Errand errand() {
    return errand;
  }
}
