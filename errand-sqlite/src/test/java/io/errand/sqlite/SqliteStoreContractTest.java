package io.errand.sqlite;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.TaskStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store against the shared store contract, each test on a fresh file. */
class SqliteStoreContractTest extends TaskStoreContract {
  @TempDir
  Path dir;

  @Override
  protected TaskStore newStore() {
    return SqliteStore.at(dir.resolve("errand.db"));
  }
}
