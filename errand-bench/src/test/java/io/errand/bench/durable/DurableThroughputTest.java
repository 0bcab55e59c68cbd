package io.errand.bench.durable;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DurableThroughputTest {
  @Test
  void postgresSubjectsAreRecognisedByName() {
    assertThat(EndToEnd.onPostgres("errand-pg")).isTrue();
    assertThat(EndToEnd.onPostgres("errand-pg-2nodes")).isTrue();
    assertThat(EndToEnd.onPostgres("dbscheduler-pg")).isTrue();
    assertThat(EndToEnd.onPostgres("jobrunr-sqlite-pool1")).isFalse();
    assertThat(EndToEnd.onPostgres("errand-full")).isFalse();
  }

  @Test
  void ratiosDivideEveryRateByEachPostgresPeersRate() {
    Map<String, Double> rates = new LinkedHashMap<>();
    rates.put("dbscheduler-pg", 1000.0);
    rates.put("jobrunr-pg", 500.0);
    rates.put("errand-pg", 250.0);
    rates.put("errand-normal", 4000.0);

    assertThat(DurableThroughput.ratios(rates)).containsExactly(
        "",
        "| subject | tasks/s | × dbscheduler-pg | × jobrunr-pg |",
        "| --- | --- | --- | --- |",
        "| dbscheduler-pg | 1000.0 | 1.00 | 2.00 |",
        "| jobrunr-pg | 500.0 | 0.50 | 1.00 |",
        "| errand-pg | 250.0 | 0.25 | 0.50 |",
        "| errand-normal | 4000.0 | 4.00 | 8.00 |");
  }

  @Test
  void noRatiosWithoutAPostgresPeer() {
    assertThat(DurableThroughput.ratios(Map.of("errand-pg", 250.0))).isEmpty();
  }

  @Test
  void thePgPlanRunsThePeersBesideOneAndTwoNodes() {
    assertThat(DurableThroughput.PG_PLAN).containsExactly("dbscheduler-pg", "jobrunr-pg",
        "errand-pg", "errand-pg-2nodes");
  }
}
