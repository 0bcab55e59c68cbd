package io.errand.postgres;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.TaskSearchContract;
import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL store's searches against the search contract, each test in a fresh schema. */
class PostgresSearchContractTest extends TaskSearchContract {
  private final TestDatabase db = TestDatabase.get();
  private String schema;

  @Override
  protected TaskStore newStore() {
    schema = db.freshSchema();
    return PostgresStore.builder(db.url()).schema(schema).poolSize(4).build();
  }

  @AfterEach
  void dropSchema() {
    store().close();
    db.drop(schema);
  }
}
