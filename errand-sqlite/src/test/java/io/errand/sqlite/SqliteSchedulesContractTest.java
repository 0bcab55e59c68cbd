package io.errand.sqlite;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.ScheduleStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store's schedule role against the schedule store contract, on a fresh file. */
class SqliteSchedulesContractTest extends ScheduleStoreContract {
  @TempDir
  Path dir;

  @Override
  protected TaskStore newTaskStore() {
    return SqliteStore.at(dir.resolve("errand.db"));
  }
}
