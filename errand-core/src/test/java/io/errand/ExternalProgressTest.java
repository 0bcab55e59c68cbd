package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.QueueSpec;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Progress reported from outside a handler: {@link Errand#reportProgress}. */
class ExternalProgressTest {

  @Test
  void aRunningTaskTakesTheReportAndAnnouncesIt() throws Exception {
    Gate release = new Gate();
    List<TaskEvent> progress = new CopyOnWriteArrayList<>();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          release.pass();
          return "done";
        }).build())
        .listener("progress", e -> {
          if (e.type() == EventType.PROGRESS) {
            progress.add(e);
          }
        })
        .build()) {
      long id = errand.submit("q", null, SubmitOptions.keyed("k1"));
      Await.status(errand, id, TaskStatus.RUNNING);

      assertThat(errand.reportProgress(id, 3, 10, "three of ten")).isTrue();

      TaskInfo info = errand.get(id).orElseThrow();
      assertThat(info.current()).isEqualTo(3);
      assertThat(info.total()).isEqualTo(10);
      assertThat(info.message()).isEqualTo("three of ten");
      await().until(() -> progress.size() == 1);
      TaskEvent e = progress.get(0);
      assertThat(e.taskId()).isEqualTo(id);
      assertThat(e.queue()).isEqualTo("q");
      assertThat(e.attempt()).isEqualTo(1);
      assertThat(e.key()).isEqualTo("k1");
      assertThat(e.current()).isEqualTo(3);
      assertThat(e.total()).isEqualTo(10);
      assertThat(e.message()).isEqualTo("three of ten");

      release.open();
      assertThat(Await.finished(errand, id).status()).isEqualTo(TaskStatus.SUCCESS);
    }
  }

  @Test
  void waitingFinishedAndUnknownTasksRefuseTheReport() throws Exception {
    Gate release = new Gate();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          release.pass();
          return null;
        }).build())
        .build()) {
      long waiting = errand.submit("q", null, SubmitOptions.delayed(Duration.ofHours(1)));
      assertThat(errand.reportProgress(waiting, 1, 2, "early")).isFalse();
      TaskInfo info = errand.get(waiting).orElseThrow();
      assertThat(info.current()).isZero();
      assertThat(info.message()).isEmpty();

      release.open();
      long done = errand.submit("q", null);
      Await.finished(errand, done);
      assertThat(errand.reportProgress(done, 1, 2, "late")).isFalse();
      assertThat(errand.get(done).orElseThrow().message()).isNotEqualTo("late");

      assertThat(errand.reportProgress(987_654_321L, 1, 2, "nobody")).isFalse();
    }
  }

  @Test
  void negativeProgressIsRefused() {
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> null).build())
        .build()) {
      assertThatThrownBy(() -> errand.reportProgress(1, -1, 0, null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("current=-1");
    }
  }
}
