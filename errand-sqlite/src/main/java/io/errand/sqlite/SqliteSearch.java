package io.errand.sqlite;

import io.errand.api.FailureGroup;
import io.errand.api.Page;
import io.errand.api.TaskFilter;
import io.errand.jdbc.Paging;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskSearch;
import java.util.List;
import java.util.function.Supplier;

/** The SQLite store's searches, on the reader connection: they see what was committed. */
final class SqliteSearch implements TaskSearch {
  private final Supplier<Opened> opened;

  SqliteSearch(Supplier<Opened> opened) {
    this.opened = opened;
  }

  @Override
  public Page<TaskRecord> find(TaskFilter filter, int limit, long cursor) {
    TaskSearch.checkPage(limit, cursor);
    Opened o = opened.get();
    return Paging.page(o.reads.search(filter, limit, cursor), limit, o.payloads.codec());
  }

  @Override
  public long count(TaskFilter filter) {
    return opened.get().reads.count(filter);
  }

  @Override
  public List<FailureGroup> failures(TaskFilter filter, int limit) {
    TaskSearch.checkPage(limit, 0);
    return opened.get().reads.failures(filter, limit);
  }
}
