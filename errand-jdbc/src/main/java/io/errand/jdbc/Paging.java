package io.errand.jdbc;

import io.errand.api.Page;
import io.errand.spi.PayloadCodec;
import io.errand.spi.TaskRecord;
import java.util.ArrayList;
import java.util.List;

/** A page of records from the rows of a list query ({@link TaskQueries#list}). */
public final class Paging {
  private Paging() {}

  /**
   * The first {@code limit} of {@code rows} as records; the cursor of the next page is the last
   * one's id when {@code rows} held more than {@code limit} (the query reads one more), else 0.
   */
  public static Page<TaskRecord> page(List<StoredTask> rows, int limit, PayloadCodec codec) {
    List<TaskRecord> items = new ArrayList<>(Math.min(rows.size(), limit));
    for (int i = 0; i < rows.size() && i < limit; i++) {
      items.add(rows.get(i).toRecord(codec));
    }
    boolean more = rows.size() > limit;
    return new Page<>(items, more ? items.get(items.size() - 1).id() : 0);
  }
}
