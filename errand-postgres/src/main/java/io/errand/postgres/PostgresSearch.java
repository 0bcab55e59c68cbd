package io.errand.postgres;

import io.errand.api.FailureGroup;
import io.errand.api.Page;
import io.errand.api.TaskFilter;
import io.errand.jdbc.Paging;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskSearch;
import java.util.List;
import java.util.function.Supplier;

/** The PostgreSQL store's searches: one statement each in autocommit, every node's tasks. */
final class PostgresSearch implements TaskSearch {
  private final Supplier<Opened> opened;

  PostgresSearch(Supplier<Opened> opened) {
    this.opened = opened;
  }

  @Override
  public Page<TaskRecord> find(TaskFilter filter, int limit, long cursor) {
    TaskSearch.checkPage(limit, cursor);
    Opened o = opened.get();
    return Paging.page(o.db.autocommit(tx -> o.reads.search(tx, filter, limit, cursor)), limit,
        o.payloads.codec());
  }

  @Override
  public long count(TaskFilter filter) {
    Opened o = opened.get();
    return o.db.autocommit(tx -> o.reads.count(tx, filter));
  }

  @Override
  public List<FailureGroup> failures(TaskFilter filter, int limit) {
    TaskSearch.checkPage(limit, 0);
    Opened o = opened.get();
    return o.db.autocommit(tx -> o.reads.failures(tx, filter, limit));
  }
}
