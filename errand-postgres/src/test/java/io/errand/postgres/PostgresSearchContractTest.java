package io.errand.postgres;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.TaskSearchContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PostgreSQL store's searches against the search contract, each test on an emptied schema. */
class PostgresSearchContractTest extends TaskSearchContract {
  @RegisterExtension
  static final SharedSchema SCHEMA = new SharedSchema();

  @Override
  protected TaskStore newStore() {
    return SCHEMA.store().poolSize(4).build();
  }
}
