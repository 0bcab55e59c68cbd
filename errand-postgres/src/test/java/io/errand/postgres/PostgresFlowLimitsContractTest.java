package io.errand.postgres;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.FlowLimitsContract;
import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL store's per-key and rate limits against the flow contract, in a fresh schema. */
class PostgresFlowLimitsContractTest extends FlowLimitsContract {
  private final TestDatabase db = TestDatabase.get();
  private String schema;

  @Override
  protected TaskStore newStore() {
    schema = db.freshSchema();
    return PostgresStore.builder(db.url()).schema(schema).poolSize(6).build();
  }

  @AfterEach
  void dropSchema() {
    store.close(); // before the contract's own close: the schema goes after the store
    db.drop(schema);
  }
}
