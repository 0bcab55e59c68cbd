package io.errand.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file against real other processes: one owner at a time, and kill -9 loses nothing. */
class OtherProcessTest {
  @TempDir
  Path dir;

  private final List<Process> children = new ArrayList<>();
  private final List<Thread> readers = new ArrayList<>();
  private final Stores stores = new Stores();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Path file() {
    return dir.resolve("errand.db");
  }

  /** Starts {@link OwnerProcess} in {@code mode}, collecting its stdout lines in {@code lines}. */
  private Process child(String mode, List<String> lines) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), OwnerProcess.class.getName(), mode,
        file().toString())
        .redirectError(dir.resolve(mode + ".err").toFile())
        .start();
    children.add(p);
    readers.add(Thread.ofPlatform().daemon(true).start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the child died: what it printed before is all there is
      }
    }));
    return p;
  }

  @Test
  void aSecondProcessIsRefusedNamingTheOwnersPid() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    Process owner = child("hold", lines);
    await().atMost(Duration.ofSeconds(60)).until(() -> lines.contains("ready"));

    assertThatThrownBy(() -> stores.open(file()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file().toAbsolutePath().toString())
        .hasMessageContaining("pid " + owner.pid());

    owner.getOutputStream().close(); // the owner closes its store and exits
    assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();
    try (SqliteStore store = stores.open(file())) {
      assertThat(store.tasks().waiting("crash")).isZero();
    }
  }

  @Test
  void killDashNineOfTheOwnerLosesNoAcknowledgedInsert() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    Process owner = child("insert", lines);
    await().atMost(Duration.ofSeconds(60)).until(() -> lines.size() >= 500);

    Sigkill.of(owner); // no shutdown hook, no close, mid-commit
    assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // the pipe may still hold lines printed before the kill: read them to its end
    assertThat(readers.get(0).join(Duration.ofSeconds(30))).isTrue();

    List<Long> acked = lines.stream().filter(l -> l.startsWith("acked "))
        .map(l -> Long.parseLong(l.substring(6))).toList();
    assertThat(acked).hasSizeGreaterThanOrEqualTo(500);
    try (SqliteStore store = stores.open(file())) { // the OS released the dead owner's lock
      for (long id : acked) {
        assertThat(store.tasks().find(id)).as("acknowledged task %d", id).isPresent()
            .get().satisfies(r -> assertThat(r.info().status()).isEqualTo(TaskStatus.WAITING));
      }
      assertThat(store.tasks().waiting("crash")).isGreaterThanOrEqualTo(acked.size());
    }
  }

  @Test
  void killDashNineOfAnEngineMidTaskRunsEveryTaskAgainAfterTheRestart() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    Process owner = child("engine", lines);
    await().atMost(Duration.ofSeconds(60)).until(() ->
        lines.stream().filter(l -> l.startsWith("submitted ")).count() == 5
            && lines.stream().anyMatch(l -> l.startsWith("started ")));

    Sigkill.of(owner); // while a task runs: no shutdown, no requeue
    assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(readers.get(0).join(Duration.ofSeconds(30))).isTrue();

    List<Long> submitted = lines.stream().filter(l -> l.startsWith("submitted "))
        .map(l -> Long.parseLong(l.substring(10))).toList();
    long running = lines.stream().filter(l -> l.startsWith("started ")).findFirst()
        .map(l -> Long.parseLong(l.split(" ")[1])).orElseThrow();
    try (Errand errand = Errand.builder().store(SqliteStore.at(file()))
        .queue(QueueSpec.builder("slow", Integer.class, ctx -> ctx.args() + 100).build())
        .build()) {
      for (long id : submitted) {
        TaskInfo info = errand.await(id).get(30, TimeUnit.SECONDS);
        assertThat(info.status()).as("task %d", id).isEqualTo(TaskStatus.SUCCESS);
        assertThat(info.attempt()).as("attempt of task %d", id)
            .isEqualTo(id == running ? 2 : 1); // the killed attempt counts
      }
    }
  }
}
