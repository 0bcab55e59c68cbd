package io.errand.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.ManualClock;
import io.errand.api.QueueSpec;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Snooze and cancel-self on PostgreSQL: the requeue and the end go through the store. */
class HandlerControlOnPostgresTest {
  private final TestDatabase db = TestDatabase.get();
  private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final AtomicInteger calls = new AtomicInteger();
  private String schema;
  private Errand errand;

  @BeforeEach
  void start() {
    schema = db.freshSchema();
    errand = Errand.builder().clock(clock)
        .store(PostgresStore.builder(db.url()).schema(schema).poolSize(4).build())
        .queue(QueueSpec.builder("snoozy", Integer.class, ctx -> {
          if (ctx.args() == 0) {
            ctx.cancelSelf("nothing to do");
          }
          if (calls.incrementAndGet() == 1) {
            ctx.snooze(Duration.ofMinutes(5));
          }
          return ctx.attempt();
        }).attempts(3).build())
        .build();
  }

  @AfterEach
  void stop() {
    errand.close();
    db.drop(schema);
  }

  private TaskInfo finished(long id) {
    try {
      return errand.await(id).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("task " + id + " did not finish: " + errand.get(id), e);
    }
  }

  @Test
  void aSnoozedTaskRunsAgainAfterItsDelayAndACancelledOneEndsWithItsReason() {
    long id = errand.submit("snoozy", 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() == 1
        && errand.get(id).orElseThrow().status() == TaskStatus.WAITING);
    TaskInfo snoozed = errand.get(id).orElseThrow();
    assertThat(snoozed.attempt()).isZero();
    assertThat(snoozed.runAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    clock.advance(Duration.ofMinutes(5));
    assertThat(finished(id).result(Integer.class)).isEqualTo(1);

    TaskInfo cancelled = finished(errand.submit("snoozy", 0));
    assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(cancelled.cancelReason()).isEqualTo("nothing to do");
    assertThat(cancelled.attempt()).isEqualTo(1);
  }
}
