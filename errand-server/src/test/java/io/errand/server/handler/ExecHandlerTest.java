package io.errand.server.handler;

import static io.errand.server.handler.Handlers.done;
import static io.errand.server.handler.Handlers.now;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.NonRetryableException;
import io.errand.api.QueueSpec;
import io.errand.api.TaskError;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec handler driven through a real Errand, running real processes. */
class ExecHandlerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir
  Path tmp;
  private Errand errand;

  @AfterEach
  void stop() {
    if (errand != null) {
      errand.shutdown(Duration.ofSeconds(10));
    }
  }

  private Errand start(Map<String, ?> options) {
    return start(options, UnaryOperator.identity());
  }

  private Errand start(Map<String, ?> options,
      UnaryOperator<QueueSpec.Builder<Object, Object>> tune) {
    errand = Handlers.errand(new ExecHandlerFactory(), options, tune);
    return errand;
  }

  @Test
  void placeholdersAreFilledAsWholeArgumentsAndNoShellReadsThem() throws Exception {
    Path marker = tmp.resolve("marker");
    String sneaky = "$(touch " + marker + "); rm -rf ~ `touch " + marker + "` && echo owned";
    start(Map.of("command", List.of("printf", "[%s]\\n", "{a}", "{b}", "{n}", "{flag}", "{x}")));

    long id = errand.submit(Handlers.QUEUE, Map.of("a", sneaky, "b", "two  words 'q' \"dq\" *",
        "n", 42, "flag", true, "x", 1.5));

    TaskInfo t = done(errand, id);
    assertThat(t.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(t.response()).isEqualTo(Map.of("exit_code", 0, "stdout",
        "[" + sneaky + "]\n[two  words 'q' \"dq\" *]\n[42]\n[true]\n[1.5]"));
    assertThat(marker).doesNotExist();
  }

  @Test
  void anArgThatLooksLikeAnOptionStaysOneArgumentAfterTheProgram() throws Exception {
    // The program is fixed; the arg lands where its placeholder is, as one argv element.
    start(Map.of("command", List.of("printf", "<%s>", "{x}")));

    long id = errand.submit(Handlers.QUEUE, Map.of("x", "--version; id"));

    assertThat(done(errand, id).response()).isEqualTo(Map.of("exit_code", 0, "stdout",
        "<--version; id>"));
  }

  @Test
  void aMissingArgFailsTheTaskAtOnceWithoutRetry() throws Exception {
    start(Map.of("command", List.of("cat", "{file}")), s -> s.attempts(3));

    long missing = errand.submit(Handlers.QUEUE, Map.of("other", 1));
    long notAnObject = errand.submit(Handlers.QUEUE, "file.txt");
    long aList = errand.submit(Handlers.QUEUE, Map.of("file", List.of("a", "b")));

    TaskInfo t = done(errand, missing);
    assertThat(t.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(t.attempt()).isEqualTo(1);
    assertThat(t.errors()).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(NonRetryableException.class.getName());
      assertThat(e.message()).isEqualTo("arg 'file' is missing: the command needs {file}");
    });
    assertThat(done(errand, notAnObject).errors()).singleElement().extracting(TaskError::message)
        .isEqualTo("args must be a JSON object with 'file' for the command, was text");
    assertThat(done(errand, aList).errors()).singleElement().extracting(TaskError::message)
        .isEqualTo("arg 'file' is a list; only text, numbers and booleans fill placeholders");
  }

  @Test
  void progressLinesShowWhileTheProgramRunsAndOtherLinesMakeTheResult() throws Exception {
    Path gate = tmp.resolve("gate");
    start(Map.of("command", List.of("sh", "-c",
        "echo '::progress 3/10 copying'; echo line1;"
            + " while [ ! -e \"$1\" ]; do sleep 0.02; done;"
            + " echo '::progress 100%'; echo line2", "sh", "{gate}")));

    long id = errand.submit(Handlers.QUEUE, Map.of("gate", gate.toString()));

    await().atMost(PATIENCE).untilAsserted(() -> {
      TaskInfo t = now(errand, id);
      assertThat(t.status()).isEqualTo(TaskStatus.RUNNING);
      assertThat(t.current()).isEqualTo(3);
      assertThat(t.total()).isEqualTo(10);
      assertThat(t.message()).isEqualTo("copying");
    });
    Files.createFile(gate);
    TaskInfo t = done(errand, id);
    assertThat(t.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(t.response()).isEqualTo(Map.of("exit_code", 0, "stdout", "line1\nline2"));
    assertThat(t.current()).isEqualTo(100);
    assertThat(t.total()).isEqualTo(100);
  }

  @Test
  void theLastResultLineIsTheResult() throws Exception {
    start(Map.of("command", List.of("sh", "-c",
        "echo noise; echo '::result [1]'; echo '::result {\"files\": 2, \"ok\": true}'")));

    long id = errand.submit(Handlers.QUEUE, Map.of());

    assertThat(done(errand, id).response()).isEqualTo(Map.of("files", 2, "ok", true));
  }

  @Test
  void aNonZeroExitFailsTheAttemptWithTheTailOfStderrAndIsRetried() throws Exception {
    start(Map.of("command", List.of("sh", "-c",
        "echo out; i=1; while [ $i -le 30 ]; do echo err$i >&2; i=$((i+1)); done; exit 3")),
        s -> s.attempts(2));

    long id = errand.submit(Handlers.QUEUE, Map.of());

    TaskInfo t = done(errand, id);
    assertThat(t.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(t.attempt()).isEqualTo(2);
    StringBuilder last20 = new StringBuilder("exit code 3; stderr:");
    for (int i = 11; i <= 30; i++) {
      last20.append("\nerr").append(i);
    }
    assertThat(t.errors()).hasSize(2).allSatisfy(e -> {
      assertThat(e.type()).isEqualTo(ExitStatusException.class.getName());
      assertThat(e.message()).isEqualTo(last20.toString());
    });
  }

  @Test
  void aFailedAttemptKeepsTheLastLinesOfStdoutAndStderrAsItsOutput() throws Exception {
    start(Map.of("command", List.of("sh", "-c",
        "i=1; while [ $i -le 30 ]; do echo out$i; i=$((i+1)); done; echo oops >&2; exit 4")),
        s -> s.attempts(1));

    TaskInfo t = done(errand, errand.submit(Handlers.QUEUE, Map.of()));

    String output = t.errors().get(0).output();
    assertThat(output.lines().toList()).hasSize(23).startsWith("[stdout]", "out11")
        .endsWith("out30", "[stderr]", "oops").doesNotContain("out1", "out10");
    assertThat(t.errors().get(0).message()).isEqualTo("exit code 4; stderr:\noops");
  }

  @Test
  void aProgramThatCannotRunFailsTheTaskWithoutRetry() throws Exception {
    Path notExecutable = Files.writeString(tmp.resolve("script.sh"), "echo hi\n");
    start(Map.of("command", List.of("/nonexistent/errand-no-such-program", "{x}")),
        s -> s.attempts(3));
    long missing = errand.submit(Handlers.QUEUE, Map.of("x", 1));
    TaskInfo t = done(errand, missing);
    errand.close();
    start(Map.of("command", List.of(notExecutable.toString())), s -> s.attempts(3));
    long denied = errand.submit(Handlers.QUEUE, Map.of());
    TaskInfo u = done(errand, denied);
    errand.close();
    start(Map.of("command", List.of("true"), "dir", tmp.resolve("gone").toString()),
        s -> s.attempts(3));
    long noDir = errand.submit(Handlers.QUEUE, Map.of());
    TaskInfo v = done(errand, noDir);

    assertThat(List.of(t, u, v)).allSatisfy(x -> {
      assertThat(x.status()).isEqualTo(TaskStatus.FAILURE);
      assertThat(x.attempt()).isEqualTo(1);
    });
    assertThat(t.message()).isEqualTo(
        "cannot run program '/nonexistent/errand-no-such-program': No such file or directory");
    assertThat(u.message()).isEqualTo(
        "cannot run program '" + notExecutable + "': Permission denied");
    assertThat(v.message()).isEqualTo(
        "working directory '" + tmp.resolve("gone") + "' does not exist or is not a directory");
  }

  @Test
  void envAndDirReachTheProgram() throws Exception {
    start(Map.of("command", List.of("sh", "-c", "echo \"$GREETING $ERRAND_QUEUE\"; pwd"),
        "env", Map.of("GREETING", "hello"), "dir", tmp.toString()));

    long id = errand.submit(Handlers.QUEUE, Map.of());

    assertThat(done(errand, id).response()).isEqualTo(Map.of("exit_code", 0, "stdout",
        "hello q\n" + tmp.toRealPath()));
  }

  @Test
  void cancelEndsTheWholeProcessTreePromptly() throws Exception {
    String tag = "errand-tree-" + UUID.randomUUID();
    start(Map.of("command", List.of("sh", "-c", "sleep 300 & sleep 300 & wait", "{tag}")));
    long id = errand.submit(Handlers.QUEUE, Map.of("tag", tag));
    List<ProcessHandle> tree = awaitTree(tag, 3);

    long t0 = System.nanoTime();
    errand.cancel(id, "enough");

    TaskInfo t = done(errand, id);
    assertThat(t.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(t.cancelReason()).isEqualTo("enough");
    await().atMost(PATIENCE).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
    // TERM was enough: nothing waited for the 5 s grace.
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void aProgramThatIgnoresTermIsKilledAfterTheGrace() throws Exception {
    String tag = "errand-trap-" + UUID.randomUUID();
    start(Map.of("command", List.of("sh", "-c", "trap '' TERM; sleep 300; exit 0", "{tag}"),
        "grace", "1s"));
    long id = errand.submit(Handlers.QUEUE, Map.of("tag", tag));
    // The shell and its sleep; both ignore TERM (the sleep inherits that).
    List<ProcessHandle> tree = awaitTree(tag, 2);

    long t0 = System.nanoTime();
    errand.cancel(id, "enough");

    TaskInfo t = done(errand, id);
    await().atMost(PATIENCE).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(
        Duration.ofSeconds(1));
    assertThat(t.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(t.cancelReason()).isEqualTo("enough"); // stopped within the cancel grace
  }

  @Test
  void aTimeOutEndsTheWholeProcessTree() throws Exception {
    String tag = "errand-timeout-" + UUID.randomUUID();
    start(Map.of("command", List.of("sh", "-c", "sleep 300 & wait", "{tag}")),
        s -> s.timeout(Duration.ofSeconds(1)));
    long id = errand.submit(Handlers.QUEUE, Map.of("tag", tag));
    List<ProcessHandle> tree = awaitTree(tag, 2);

    TaskInfo t = done(errand, id);

    assertThat(t.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(t.errors()).singleElement().extracting(TaskError::type).isEqualTo("timeout");
    await().atMost(PATIENCE).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void aChattyProgramDoesNotBlockAndItsOutputIsBounded() throws Exception {
    // ~1.2 MB on each stream, far beyond a pipe's buffer; only the tail is kept.
    start(Map.of("command", List.of("sh", "-c",
        "i=0; while [ $i -lt 20000 ]; do echo \"line $i of stdout padding padding padding\";"
            + " echo \"line $i of stderr padding padding padding\" >&2; i=$((i+1)); done"),
        "max_output", 1024));

    long id = errand.submit(Handlers.QUEUE, Map.of());

    TaskInfo t = done(errand, id);
    assertThat(t.status()).isEqualTo(TaskStatus.SUCCESS);
    String stdout = (String) ((Map<?, ?>) t.response()).get("stdout");
    assertThat(stdout.length()).isLessThanOrEqualTo(1024);
    assertThat(stdout).endsWith("line 19999 of stdout padding padding padding");
  }

  private static List<ProcessHandle> awaitTree(String tag, int size) {
    return ExecInterruptTest.awaitTree(tag, size);
  }
}
