package io.errand.postgres;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.TaskHistoryContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The PostgreSQL store's history against the history contract, each test in a fresh schema;
 * a second store on that schema is the second node.
 */
class PostgresHistoryContractTest extends TaskHistoryContract {
  private final TestDatabase db = TestDatabase.get();
  private String schema;

  @Override
  protected TaskStore newStore() {
    schema = db.freshSchema();
    return PostgresStore.builder(db.url()).schema(schema).poolSize(4).build();
  }

  @Override
  protected TaskStore secondNode() {
    return PostgresStore.builder(db.url()).schema(schema).poolSize(2).build();
  }

  @AfterEach
  void dropSchema() {
    store().close();
    db.drop(schema);
  }
}
