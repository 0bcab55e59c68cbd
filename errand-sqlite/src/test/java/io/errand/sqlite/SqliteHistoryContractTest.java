package io.errand.sqlite;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.TaskHistoryContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store's history against the history contract, each test on a fresh file. */
class SqliteHistoryContractTest extends TaskHistoryContract {
  @TempDir
  Path dir;

  @Override
  protected TaskStore newStore() {
    return SqliteStore.at(dir.resolve("errand.db"));
  }
}
