package io.errand.postgres;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.BatchCallbackContract;
import org.junit.jupiter.api.AfterEach;

/** Batch callbacks on PostgreSQL with two nodes on one fresh schema. */
class PostgresBatchCallbackContractTest extends BatchCallbackContract {
  private final TestDatabase db = TestDatabase.get();
  private String schema;

  @Override
  protected TaskStore newStore() {
    schema = db.freshSchema();
    return PostgresStore.builder(db.url()).schema(schema).poolSize(4).build();
  }

  @Override
  protected TaskStore secondNode() {
    return PostgresStore.builder(db.url()).schema(schema).poolSize(4).build();
  }

  @AfterEach
  void dropSchema() {
    if (b != a) {
      b.close();
    }
    a.close(); // before the contract's own close: the schema goes after the nodes
    db.drop(schema);
  }
}
