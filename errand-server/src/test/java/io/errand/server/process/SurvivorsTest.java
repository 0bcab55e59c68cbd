package io.errand.server.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second line of defence, for programs whose guard did not end them: the next start ends
 * the groups a dead server recorded, and nothing else (not a live server's, not a pid reused).
 */
class SurvivorsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    for (Process p : started) {
      ProcessGroup.end(p.pid(), Duration.ZERO);
    }
  }

  @Test
  void endsTheGroupsOfADeadServerThenDeletesItsRecord() throws Exception {
    Process stubborn = group("trap '' TERM; sleep 300 & wait");
    List<ProcStat> members = awaitMembers(stubborn, 2);
    Path record = record(deadJvm(), stubborn.pid(), startTime(stubborn.pid()));

    List<Long> ended = Survivors.end(dataDir, Duration.ofMillis(500));

    assertThat(ended).containsExactly(stubborn.pid());
    // end() waits until they are gone: checked at once.
    assertThat(ProcStat.group(stubborn.pid())).isEmpty();
    assertThat(members).allSatisfy(m -> assertThat(
        ProcessHandle.of(m.pid()).map(ProcessTree::ended).orElse(true)).isTrue());
    assertThat(record).doesNotExist();
  }

  @Test
  void leavesAGroupWhoseLeaderIsALaterProcessWithTheSamePid() throws Exception {
    Process other = group("sleep 300");
    awaitMembers(other, 1);
    // Recorded with another start time: the pid now belongs to some later process.
    record(deadJvm(), other.pid(), startTime(other.pid()) - 1);

    assertThat(Survivors.end(dataDir, Duration.ofMillis(500))).isEmpty();
    assertThat(other.isAlive()).isTrue();
  }

  @Test
  void leavesTheGroupsOfAServerThatStillRuns() throws Exception {
    Process program = group("sleep 300");
    awaitMembers(program, 1);
    // "The server" is a process that runs: another node on this data directory, say.
    Process server = new ProcessBuilder("sleep", "300").start();
    started.add(server);
    String serverName = server.pid() + "-" + startTime(server.pid());
    Path record = record(serverName, program.pid(), startTime(program.pid()));

    assertThat(Survivors.end(dataDir, Duration.ofMillis(500))).isEmpty();
    assertThat(program.isAlive()).isTrue();
    assertThat(record).exists();
  }

  @Test
  void aRecordFromAnotherBootIsDeletedWithoutEndingAnything() throws Exception {
    Process program = group("sleep 300");
    awaitMembers(program, 1);
    Path record = record(deadJvm(), program.pid(), startTime(program.pid()));
    Files.writeString(record.resolveSibling(Children.BOOT_FILE), "another-boot");

    assertThat(Survivors.end(dataDir, Duration.ofMillis(500))).isEmpty();
    assertThat(program.isAlive()).isTrue();
    assertThat(record.getParent()).doesNotExist();
  }

  /** {@code script} in a process group of its own, as a guard puts a program. */
  private Process group(String script) throws IOException {
    Process p = new ProcessBuilder("setsid", "sh", "-c", script).start();
    started.add(p);
    return p;
  }

  private static List<ProcStat> awaitMembers(Process p, int count) {
    await("the group of " + p.pid()).atMost(PATIENCE)
        .until(() -> ProcStat.group(p.pid()).size() >= count);
    return ProcStat.group(p.pid());
  }

  private static long startTime(long pid) {
    return ProcStat.of(pid).orElseThrow().startTime();
  }

  /** The name of a JVM that ran and has exited. */
  private static String deadJvm() throws Exception {
    Process p = new ProcessBuilder("cat").start();
    long start = startTime(p.pid());
    p.getOutputStream().close();
    p.waitFor();
    return p.pid() + "-" + start;
  }

  private Path record(String jvm, long pgrp, long startTime) throws IOException {
    Path dir = Files.createDirectories(dataDir.resolve(Children.RECORDS).resolve(jvm));
    Files.writeString(dir.resolve(Children.BOOT_FILE), ProcStat.bootId().orElseThrow());
    return Files.createFile(dir.resolve(pgrp + "-" + startTime));
  }
}
