package io.errand.postgres;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.TaskStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PostgreSQL store against the shared store contract, each test on an emptied schema. */
class PostgresStoreContractTest extends TaskStoreContract {
  @RegisterExtension
  static final SharedSchema SCHEMA = new SharedSchema();

  @Override
  protected TaskStore newStore() {
    return SCHEMA.store().poolSize(4).build();
  }
}
