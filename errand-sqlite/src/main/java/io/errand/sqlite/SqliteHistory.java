package io.errand.sqlite;

import io.errand.api.HistoryBucket;
import io.errand.jdbc.HistoryQueries;
import io.errand.jdbc.SqlRunner;
import io.errand.spi.TaskHistory;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The SQLite store's history, in {@code task_history} (schema migration of issue 18). Adds,
 * reads and prunes all go through the writer thread: they are a few statements every few
 * seconds, and one process owns the file.
 */
final class SqliteHistory implements TaskHistory {
  private static final HistoryQueries SQL = new HistoryQueries(SqliteDialect.INSTANCE, "max");
  private final Supplier<Opened> opened;

  SqliteHistory(Supplier<Opened> opened) {
    this.opened = opened;
  }

  private static SqlRunner on(Writer.Tx tx) {
    return new SqlRunner() {
      @Override
      public <T> T run(String text, Body<T> body) throws SQLException {
        return body.run(tx.sql.get(text));
      }
    };
  }

  @Override
  public void add(List<HistoryBucket> deltas) {
    deltas.forEach(TaskHistory::checkStart);
    if (deltas.isEmpty()) {
      return;
    }
    opened.get().writer.call(tx -> {
      SQL.add(on(tx), deltas);
      return null;
    });
  }

  @Override
  public List<HistoryBucket> read(String queue, Instant from, Instant to) {
    TaskHistory.checkRange(from, to);
    return opened.get().writer.call(tx -> SQL.read(on(tx), queue, from, to));
  }

  @Override
  public int prune(Instant before) {
    return opened.get().writer.call(tx -> SQL.prune(on(tx), before));
  }
}
