package io.errand.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.Errand;
import io.errand.spi.contract.FlowStress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A per-key limit of 1 over 1,000 tenants × 10 tasks on two nodes of 8 workers each sharing
 * one schema: never two tasks of one tenant run at once across the nodes.
 */
class TwoNodePerKeyLimitTest extends TwoErrandNodes {
  private final FlowStress stress = new FlowStress();

  @Override
  Errand node(String name) {
    PostgresStore store = PostgresStore.builder(db.url()).schema(schema).poolSize(10)
        .sweep(Duration.ofMillis(100)).build();
    return Errand.builder().store(store).node(name).queue(stress.spec(8))
        .shutdownGrace(Duration.ofSeconds(5)).build();
  }

  @Test
  void neverTwoRunningForOneTenantAcrossTwoNodes() {
    stress.run(a, b, 1000, 10, Duration.ofMinutes(5));
    assertThat(stress.ran()).isEqualTo(10_000);
    assertThat(stress.most()).as("most tasks of one tenant in flight at once").isEqualTo(1);
  }
}
