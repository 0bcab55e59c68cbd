package io.errand.server.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard every program runs under: it passes the argv untouched, and when the pipe from the
 * JVM closes (as it does when the JVM dies, however) it ends the program's whole group, TERM
 * then KILL, even members that ignore TERM.
 */
class ProgramGuardTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    for (Process p : started) {
      ProcessGroup.end(p.pid(), Duration.ZERO);
      p.descendants().forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void theArgvReachesTheProgramUninterpretedAndItsStatusIsTheGuards() throws Exception {
    Process p = start(Duration.ofSeconds(1), "sh", "-c", "printf '%s\\n' \"$@\"; exit 3", "x",
        "$HOME", "*", "a b", ";echo no", "`id`");
    List<String> lines = readLines(p);

    assertThat(p.waitFor()).isEqualTo(3);
    assertThat(lines).containsExactly("$HOME", "*", "a b", ";echo no", "`id`");
  }

  @Test
  void aMissingProgramFailsToStartAsWithoutTheGuard() {
    assertThatThrownBy(() -> start(Duration.ofSeconds(1), "/nonexistent/errand-no-program"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("error=2, No such file or directory");
    assertThatThrownBy(() -> start(Duration.ofSeconds(1), "errand-no-such-program-in-path"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("error=2, No such file or directory");
  }

  @Test
  void aClosedPipeFromTheJvmEndsTheWholeGroupEvenWhatIgnoresTerm() throws Exception {
    // The shell and its sleep ignore TERM (the sleep inherits that): only KILL ends them.
    Process p = start(Duration.ofSeconds(1), "sh", "-c", "trap '' TERM; sleep 300 & echo $!;"
        + " wait");
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    long sleepPid = Long.parseLong(out.readLine().strip());
    assertThat(ProcStat.of(sleepPid).orElseThrow().pgrp()).isEqualTo(p.pid());
    assertThat(records()).hasSize(1);

    p.getOutputStream().close(); // what the kernel does to the pipe when the JVM dies

    await("the group to end").atMost(PATIENCE)
        .until(() -> ProcStat.group(p.pid()).isEmpty());
    assertThat(ProcessTree.ended(ProcessHandle.of(sleepPid).orElse(p.toHandle()))).isTrue();
  }

  @Test
  void killAllEndsTheProgramsAndWhatTheyStarted() throws Exception {
    Process p = start(Duration.ofSeconds(60), "sh", "-c", "trap '' TERM; sleep 300 & echo $!;"
        + " wait");
    long sleepPid = Long.parseLong(new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8)).readLine().strip());
    ProcessHandle sleep = ProcessHandle.of(sleepPid).orElseThrow();

    int killed = Children.of(dataDir).killAll();

    // killAll waits until they are gone: checked at once, no waiting here.
    assertThat(killed).isGreaterThanOrEqualTo(3); // the guard, the sh, the sleep
    assertThat(ProcessTree.ended(sleep)).isTrue();
    assertThat(ProcessTree.ended(p.toHandle())).isTrue();
    assertThat(ProcStat.group(p.pid())).isEmpty();
  }

  @Test
  void killAllEndsWhatAProgramLeftRunningWhenItExited() throws Exception {
    Process p = start(Duration.ofSeconds(60), "sh", "-c", "sleep 300 & echo $!");
    long sleepPid = Long.parseLong(new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8)).readLine().strip());
    ProcessHandle sleep = ProcessHandle.of(sleepPid).orElseThrow();
    assertThat(p.waitFor()).isZero();
    assertThat(sleep.isAlive()).as("left running by a program that exited").isTrue();

    Children.of(dataDir).killAll();

    assertThat(ProcessTree.ended(sleep)).isTrue();
    await("the record to be deleted").atMost(PATIENCE).until(() -> records().isEmpty());
  }

  private Process start(Duration grace, String... argv) throws IOException {
    Process p = Children.of(dataDir).start(new ProcessBuilder(argv)
        .redirectError(ProcessBuilder.Redirect.INHERIT), grace);
    started.add(p);
    return p;
  }

  private List<Path> records() throws IOException {
    Path root = dataDir.resolve(Children.RECORDS);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().matches("\\d+-\\d+")).toList();
    }
  }

  private static List<String> readLines(Process p) throws IOException {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      return r.lines().toList();
    }
  }
}
