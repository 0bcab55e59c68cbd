package io.errand.sqlite;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.QueueControlsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store's pauses against the queue controls contract, on a fresh file. */
class SqliteControlsContractTest extends QueueControlsContract {
  @TempDir
  Path dir;

  @Override
  protected TaskStore newStore() {
    return SqliteStore.at(dir.resolve("errand.db"));
  }

  @Override
  protected TaskStore sameStoreAgain() {
    return SqliteStore.at(dir.resolve("errand.db"));
  }
}
