package io.errand.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.Errand;
import io.errand.spi.contract.FlowStress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A per-key limit of 1 over 1,000 tenants × 10 tasks on SQLite, 16 workers. */
class SqliteFlowStressTest {
  @TempDir
  Path dir;

  @Test
  void neverTwoRunningForOneTenant() {
    FlowStress stress = new FlowStress();
    try (Errand errand = Errand.builder().store(SqliteStore.at(dir.resolve("errand.db")))
        .queue(stress.spec(16)).build()) {
      stress.run(errand, errand, 1000, 10, Duration.ofMinutes(5));
    }
    assertThat(stress.ran()).isEqualTo(10_000);
    assertThat(stress.most()).as("most tasks of one tenant in flight at once").isEqualTo(1);
  }
}
