package io.errand.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.ManualClock;
import io.errand.api.QueueSpec;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentest4j.AssertionFailedError;

/** Workers mode: drain and await-idle wait for the workers; assertions on what was submitted. */
class WorkersModeTest {
  record Mail(String to, String subject) {}

  final List<String> threads = new CopyOnWriteArrayList<>();
  final CountDownLatch never = new CountDownLatch(1);

  @RegisterExtension
  final ErrandExtension errand = ErrandExtension.builder()
      .waitLimit(Duration.ofSeconds(2))
      .queue(QueueSpec.builder("mail", Mail.class, String.class, ctx -> {
        threads.add(Thread.currentThread().getName());
        return "ok";
      }).workers(4).build())
      .queue(QueueSpec.builder("stuck", String.class, Void.class, ctx -> {
        never.await();
        return null;
      }).build())
      .build();

  @Test
  void drainWaitsForEveryDueTaskOfTheQueueOnItsWorkers(TestErrand t) {
    for (int i = 0; i < 20; i++) {
      t.errand().submit("mail", new Mail("user" + i + "@example.com", "hi"));
    }
    t.drain("mail");

    assertThat(t.submitted("mail")).hasSize(20)
        .allSatisfy(task -> assertThat(task.status()).isEqualTo(TaskStatus.SUCCESS));
    assertThat(threads).hasSize(20).doesNotContain(Thread.currentThread().getName());
  }

  @Test
  void assertionsSeeTheQueueTheArgsAndTheOptions(TestErrand t, ManualClock clock) {
    t.errand().submit("mail", new Mail("ada@example.com", "Welcome"),
        SubmitOptions.delayed(Duration.ofHours(2)).withKey("welcome-ada").withPriority(5));

    TaskInfo found = t.assertSubmitted("mail", new Mail("ada@example.com", "Welcome"),
        SubmitOptions.delayed(Duration.ofHours(2)).withKey("welcome-ada").withPriority(5));
    assertThat(found.runAt()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));
    t.assertNotSubmitted("mail", new Mail("bob@example.com", "Welcome"));

    assertThatThrownBy(() -> t.assertSubmitted("mail", new Mail("ada@example.com", "Welcome"),
        SubmitOptions.delayed(Duration.ofHours(1))))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("with args Mail[to=ada@example.com, subject=Welcome]")
        .hasMessageContaining("key=welcome-ada priority=5");
    assertThatThrownBy(() -> t.assertNotSubmitted("mail", new Mail("ada@example.com",
        "Welcome"))).isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("but there is task");
  }

  @Test
  void aPausedQueuesTasksDoNotKeepAwaitIdleWaitingAndRunOnResume(TestErrand t) {
    t.errand().control("mail").pause();
    long id = t.errand().submit("mail", new Mail("paused@example.com", "later"));
    t.awaitIdle();
    assertThat(t.errand().get(id).orElseThrow().status()).isEqualTo(TaskStatus.WAITING);

    t.errand().control("mail").resume();
    t.awaitIdle();
    assertThat(t.errand().get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS);
  }

  @Test
  void aDelayedTaskRunsWhenTimeTravelReachesIt(TestErrand t) {
    long id = t.errand().submit("mail", new Mail("later@example.com", "soon"),
        SubmitOptions.delayed(Duration.ofMinutes(30)));
    t.awaitIdle();
    assertThat(t.errand().get(id).orElseThrow().status()).isEqualTo(TaskStatus.WAITING);

    t.advance(Duration.ofMinutes(30));

    assertThat(t.errand().get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS);
  }

  @Test
  void aHandlerThatNeverReturnsFailsTheWaitNamingTheTask(TestErrand t) {
    long id = t.errand().submit("stuck", "x");
    try {
      assertThatThrownBy(() -> t.drain("stuck")).isInstanceOf(AssertionFailedError.class)
          .hasMessageContaining("still busy after PT2S")
          .hasMessageContaining("task " + id);
    } finally {
      never.countDown();
    }
  }
}
