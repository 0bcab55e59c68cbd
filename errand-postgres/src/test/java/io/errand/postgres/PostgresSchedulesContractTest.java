package io.errand.postgres;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.ScheduleStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PostgreSQL schedules against the schedule store contract, each test on an emptied schema. */
class PostgresSchedulesContractTest extends ScheduleStoreContract {
  @RegisterExtension
  static final SharedSchema SCHEMA = new SharedSchema();

  @Override
  protected TaskStore newTaskStore() {
    return SCHEMA.store().poolSize(10).build();
  }
}
