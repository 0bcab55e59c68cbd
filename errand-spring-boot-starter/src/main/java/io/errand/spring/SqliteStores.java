package io.errand.spring;

import io.errand.spi.TaskStore;
import io.errand.sqlite.SqliteStore;
import java.nio.file.Path;

/**
 * Builds the SQLite store from {@code errand.store.*}. A class of its own so that the
 * auto-configuration loads {@code errand-sqlite}'s classes only when that store is chosen.
 */
final class SqliteStores {
  private SqliteStores() {}

  static TaskStore create(ErrandProperties.Store store) {
    return SqliteStore.builder(Path.of(store.path()))
        .synchronous(SqliteStore.Synchronous.valueOf(store.synchronous()))
        .build();
  }
}
