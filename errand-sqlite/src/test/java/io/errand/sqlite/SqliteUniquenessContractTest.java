package io.errand.sqlite;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.UniquenessContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store's unique keys against the uniqueness contract, on a fresh file. */
class SqliteUniquenessContractTest extends UniquenessContract {
  @TempDir
  Path dir;

  @Override
  protected TaskStore newStore() {
    return SqliteStore.at(dir.resolve("errand.db"));
  }
}
