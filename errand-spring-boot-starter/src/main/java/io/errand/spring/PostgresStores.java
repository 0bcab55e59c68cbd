package io.errand.spring;

import io.errand.postgres.PostgresStore;
import io.errand.spi.TaskStore;
import javax.sql.DataSource;

/**
 * Builds the PostgreSQL store on the application's {@link DataSource}. A class of its own so that
 * the auto-configuration loads {@code errand-postgres}'s classes only when that store is chosen.
 */
final class PostgresStores {
  private PostgresStores() {}

  static TaskStore create(ErrandProperties.Store store, DataSource dataSource) {
    try {
      return PostgresStore.builder(dataSource).schema(store.schema()).build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("errand.store.schema: " + e.getMessage(), e);
    }
  }
}
