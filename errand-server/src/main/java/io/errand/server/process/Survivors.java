package io.errand.server.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the programs that an earlier server on the same data directory started and that
 * outlived it (it was KILLed, ran out of memory, crashed, and a guard did not end them), read
 * from the record {@link Children} keeps. For a server's start, before it recovers a task or
 * starts a supervisor key: a recovered task must not run beside its previous attempt.
 *
 * <p>A record is acted on only when its JVM no longer runs (the pid is gone, or belongs to a
 * later process) and the machine was not rebooted since (same boot id): the record of a
 * server that still runs on the same directory, such as another PostgreSQL node, is left alone.
 * A group is ended only if it is still the one recorded ({@link ProcessGroup#isStill}).
 */
public final class Survivors {
  private static final Logger log = LoggerFactory.getLogger(Survivors.class);

  private Survivors() {}

  /**
   * Ends what earlier servers on {@code dataDir} left running: TERM, up to {@code grace}, then
   * KILL; then deletes their records. Does nothing (and creates nothing) if there is no record.
   *
   * @return the ids of the process groups that were found running
   */
  public static List<Long> end(Path dataDir, Duration grace) {
    Path root = dataDir.toAbsolutePath().normalize().resolve(Children.RECORDS);
    Optional<String> boot = ProcStat.bootId();
    if (!Files.isDirectory(root) || boot.isEmpty()) {
      return List.of();
    }
    String self = Children.jvmName().orElse("");
    List<Long> ended = new ArrayList<>();
    for (Path jvm : list(root)) {
      String name = jvm.getFileName().toString();
      long[] id = parse(name);
      boolean sameBoot = boot.get().equals(read(jvm.resolve(Children.BOOT_FILE)));
      if (name.equals(self) || id == null || sameBoot && isRunning(id)) {
        continue;
      }
      if (sameBoot) { // after a reboot, nothing of the record runs any more
        for (Path child : list(jvm)) {
          long[] group = parse(child.getFileName().toString());
          if (group != null && ProcessGroup.isStill(group[0], group[1])) {
            ended.add(group[0]);
            if (!ProcessGroup.end(group[0], grace)) {
              log.warn("process group {} of a previous run did not end even after KILL",
                  group[0]);
            }
          }
        }
      }
      deleteTree(jvm);
    }
    if (!ended.isEmpty()) {
      log.warn("ended the programs that a previous run of the server on {} left running"
          + " (process groups {})", dataDir, ended);
    }
    return ended;
  }

  /** Whether the process {@code pid-starttime} still runs. */
  private static boolean isRunning(long[] id) {
    return ProcStat.of(id[0]).filter(s -> s.startTime() == id[1] && !s.exited()).isPresent();
  }

  /** {@code <pid>-<start time>} as two numbers, or null for any other name. */
  private static long[] parse(String name) {
    int dash = name.indexOf('-');
    try {
      return dash < 0 ? null : new long[] {Long.parseLong(name.substring(0, dash)),
          Long.parseLong(name.substring(dash + 1))};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      return "";
    }
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static void deleteTree(Path jvm) {
    for (Path f : list(jvm)) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        // Harmless: the record is checked against the running processes every time.
      }
    }
    try {
      Files.deleteIfExists(jvm);
    } catch (IOException e) {
      // As above.
    }
  }
}
