package io.errand.api;

import java.util.List;

/**
 * One page of a listing, newest first.
 *
 * @param items      the tasks of this page
 * @param nextCursor the cursor of the next page, or 0 when this is the last
 */
public record Page<T>(List<T> items, long nextCursor) {
  /** Copies the items, so the page stays unchanged. */
  public Page {
    items = List.copyOf(items);
  }

  /** Whether more items follow. */
  public boolean hasMore() {
    return nextCursor != 0;
  }
}
