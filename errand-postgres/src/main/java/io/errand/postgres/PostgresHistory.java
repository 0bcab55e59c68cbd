package io.errand.postgres;

import io.errand.api.HistoryBucket;
import io.errand.jdbc.HistoryQueries;
import io.errand.spi.TaskHistory;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The PostgreSQL store's history, in {@code task_history}: every node adds its counts into the
 * same rows (an upsert summing them), so any node reads the cluster's. A node's adds are one
 * transaction in the order of queue and minute, retried on a deadlock.
 */
final class PostgresHistory implements TaskHistory {
  private final Supplier<Opened> opened;
  private final HistoryQueries sql;

  PostgresHistory(Supplier<Opened> opened, String schema) {
    this.opened = opened;
    this.sql = new HistoryQueries(new PostgresDialect(schema), "greatest");
  }

  @Override
  public void add(List<HistoryBucket> deltas) {
    deltas.forEach(TaskHistory::checkStart);
    if (deltas.isEmpty()) {
      return;
    }
    opened.get().db.transaction(tx -> {
      sql.add(tx::run, deltas);
      return null;
    });
  }

  @Override
  public List<HistoryBucket> read(String queue, Instant from, Instant to) {
    TaskHistory.checkRange(from, to);
    return opened.get().db.autocommit(tx -> sql.read(tx::run, queue, from, to));
  }

  @Override
  public int prune(Instant before) {
    return opened.get().db.autocommit(tx -> sql.prune(tx::run, before));
  }
}
