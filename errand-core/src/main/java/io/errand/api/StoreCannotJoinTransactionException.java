package io.errand.api;

/**
 * A submit inside the caller's JDBC transaction ({@link Errand#submit(java.sql.Connection,
 * String, Object, SubmitOptions)}) was asked of a store that keeps its tasks elsewhere than that
 * connection's database (the memory store, the SQLite store): nothing was added, and the
 * caller's transaction was not touched. Code {@code transaction_not_joinable}. Use a PostgreSQL
 * store on the same database, or submit after your commit.
 */
public final class StoreCannotJoinTransactionException extends ErrandException {
  private static final long serialVersionUID = 1L;

  /** {@code store} (as people call it) cannot join a caller's transaction. */
  public StoreCannotJoinTransactionException(String store) {
    super("transaction_not_joinable", store + " cannot add tasks inside the caller's JDBC "
        + "transaction: it does not keep its tasks in that connection's database. Use a "
        + "PostgreSQL store on the same database, or submit after your commit");
  }
}
