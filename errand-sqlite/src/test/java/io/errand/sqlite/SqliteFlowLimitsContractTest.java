package io.errand.sqlite;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.FlowLimitsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store's per-key limits, fairness and rate limits against the flow contract. */
class SqliteFlowLimitsContractTest extends FlowLimitsContract {
  @TempDir
  Path dir;

  @Override
  protected TaskStore newStore() {
    return SqliteStore.at(dir.resolve("errand.db"));
  }
}
