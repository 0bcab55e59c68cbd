package io.errand.sqlite;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.TaskSearchContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store's searches against the search contract, each test on a fresh file. */
class SqliteSearchContractTest extends TaskSearchContract {
  @TempDir
  Path dir;

  @Override
  protected TaskStore newStore() {
    return SqliteStore.at(dir.resolve("errand.db"));
  }
}
