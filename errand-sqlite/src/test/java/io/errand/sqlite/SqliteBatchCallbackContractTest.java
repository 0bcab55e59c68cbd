package io.errand.sqlite;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.BatchCallbackContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Batch callbacks on a SQLite file, one node (one process owns the file). */
class SqliteBatchCallbackContractTest extends BatchCallbackContract {
  @TempDir
  Path dir;

  @Override
  protected TaskStore newStore() {
    return SqliteStore.at(dir.resolve("errand.db"));
  }

  @Override
  protected TaskStore secondNode() {
    return null;
  }
}
