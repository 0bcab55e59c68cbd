package io.errand;

import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waiting helpers shared by the tests: conditions, never fixed sleeps. */
final class Await {
  private Await() {}

  static TaskInfo finished(Errand errand, long id) {
    try {
      return errand.await(id).get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("task " + id + " did not finish: " + errand.get(id), e);
    }
  }

  static TaskInfo status(Errand errand, long id, TaskStatus status) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(2))
        .until(() -> errand.get(id).map(TaskInfo::status).orElse(null) == status);
    return errand.get(id).orElseThrow();
  }
}
