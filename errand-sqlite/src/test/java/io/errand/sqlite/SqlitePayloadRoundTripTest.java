package io.errand.sqlite;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.PayloadRoundTripContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store against the payload round-trip contract, each Errand on a fresh file. */
class SqlitePayloadRoundTripTest extends PayloadRoundTripContract {
  private final AtomicInteger files = new AtomicInteger();
  @TempDir
  Path dir;

  @Override
  protected TaskStore newStore() {
    return SqliteStore.at(dir.resolve("errand-" + files.incrementAndGet() + ".db"));
  }
}
