package io.errand.postgres;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.ScheduleStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL schedules against the schedule store contract, each test in a fresh schema. */
class PostgresSchedulesContractTest extends ScheduleStoreContract {
  private final TestDatabase db = TestDatabase.get();
  private String schema;

  @Override
  protected TaskStore newTaskStore() {
    schema = db.freshSchema();
    return PostgresStore.builder(db.url()).schema(schema).poolSize(10).build();
  }

  @AfterEach
  void dropSchema() {
    tasks.close(); // before the contract's own close: the schema goes after the store
    db.drop(schema);
  }
}
