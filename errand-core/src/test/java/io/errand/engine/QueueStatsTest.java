package io.errand.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueueStatsTest {

  private static void finish(QueueStats stats, long second, int tasks) {
    for (int i = 0; i < tasks; i++) {
      stats.succeeded.increment();
      stats.finishedAt(second);
    }
  }

  @Test
  void throughputIsTasksPerSecondOverTheLastMinute() {
    QueueStats stats = new QueueStats(1_000);
    finish(stats, 1_000, 30);
    assertThat(stats.snapshot("q", 1, 0, 1_000).throughput()).isEqualTo(30.0);

    finish(stats, 1_010, 70); // 100 tasks in 10 seconds
    assertThat(stats.snapshot("q", 1, 0, 1_010).throughput()).isEqualTo(10.0);

    finish(stats, 1_100, 5); // a minute later only the last second's 5 remain in the window
    assertThat(stats.snapshot("q", 1, 0, 1_100).throughput()).isEqualTo(5.0);
    assertThat(stats.snapshot("q", 1, 0, 1_200).throughput()).isZero();
  }
}
