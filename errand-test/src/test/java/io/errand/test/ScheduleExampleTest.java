package io.errand.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.QueueSpec;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.api.TaskInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The schedule example of docs/testing.md: a report built every day at 02:30 in Berlin, tested
 * over three days of manual time without a sleep.
 */
class ScheduleExampleTest {
  record Report(Instant day) {}

  final List<Instant> built = new CopyOnWriteArrayList<>();

  @RegisterExtension
  final ErrandExtension errand = ErrandExtension.builder()
      .startingAt(Instant.parse("2026-03-01T00:00:00Z"))
      .queue(QueueSpec.builder("reports", Report.class, Void.class, ctx -> {
        built.add(ctx.args().day());
        return null;
      }).retention(Duration.ofDays(7)).build()) // finished tasks stay readable past a day
      .build();

  @Test
  void theNightlyReportRunsOncePerDayAtItsLocalTime(TestErrand t) {
    t.errand().schedules().create(Schedule.builder("nightly", "reports",
            ScheduleSpec.parse("CRON_TZ=Europe/Berlin 30 2 * * *"))
        .argsFrom(Report::new)
        .build());

    t.advance(Duration.ofDays(3));

    assertThat(built).containsExactly(Instant.parse("2026-03-01T01:30:00Z"),
        Instant.parse("2026-03-02T01:30:00Z"), Instant.parse("2026-03-03T01:30:00Z"));
    List<TaskInfo> tasks = t.submitted("reports");
    assertThat(tasks).extracting(TaskInfo::startedAt).containsExactlyElementsOf(built);
    t.assertSubmitted("reports", new Report(Instant.parse("2026-03-02T01:30:00Z")));
  }
}
