package io.errand.postgres;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.TaskStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL store against the shared store contract, each test in a fresh schema. */
class PostgresStoreContractTest extends TaskStoreContract {
  private final TestDatabase db = TestDatabase.get();
  private String schema;

  @Override
  protected TaskStore newStore() {
    schema = db.freshSchema();
    return PostgresStore.builder(db.url()).schema(schema).poolSize(4).build();
  }

  @AfterEach
  void dropSchema() {
    store.close(); // before the contract's own close: the schema goes after the store
    db.drop(schema);
  }
}
