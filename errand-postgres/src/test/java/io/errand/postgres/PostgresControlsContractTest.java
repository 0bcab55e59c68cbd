package io.errand.postgres;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.QueueControlsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PostgreSQL store's pauses against the queue controls contract, each test on an emptied
 * schema.
 */
class PostgresControlsContractTest extends QueueControlsContract {
  @RegisterExtension
  static final SharedSchema SCHEMA = new SharedSchema();

  @Override
  protected TaskStore newStore() {
    return SCHEMA.store().poolSize(6).build();
  }

  @Override
  protected TaskStore sameStoreAgain() {
    return SCHEMA.store().poolSize(6).build();
  }
}
