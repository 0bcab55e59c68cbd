package io.errand.server.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One line of {@code /proc/<pid>/stat}: what the kernel says of a process, read without
 * starting any program. Linux only; elsewhere every read is empty.
 *
 * @param pid       the process id
 * @param state     the state letter ({@code R}, {@code S}, {@code Z}...)
 * @param pgrp      the id of its process group
 * @param startTime when it started, in clock ticks since boot: with the boot id, what tells a
 *                  process from a later one that got the same pid
 */
public record ProcStat(long pid, char state, long pgrp, long startTime) {
  private static final Path PROC = Path.of("/proc");

  /** Whether it has exited and waits only to be reaped (or is being torn down). */
  public boolean exited() {
    return state == 'Z' || state == 'X';
  }

  /**
   * Reads the stat of {@code pid}.
   *
   * @return empty if there is no such process (or no {@code /proc})
   */
  public static Optional<ProcStat> of(long pid) {
    String line;
    try {
      line = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    // The name in parentheses may hold anything, spaces and parentheses included.
    int close = line.lastIndexOf(')');
    if (close < 0) {
      return Optional.empty();
    }
    String[] f = line.substring(close + 2).trim().split(" ");
    try {
      // Fields from the state on: state(3) ppid(4) pgrp(5) ... starttime(22).
      return Optional.of(new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[2]),
          Long.parseLong(f[19])));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The processes of group {@code pgrp} that have not exited.
   *
   * @return empty if there are none (or no {@code /proc})
   */
  public static List<ProcStat> group(long pgrp) {
    return running().stream().filter(s -> s.pgrp == pgrp).toList();
  }

  /**
   * Every process of the machine that has not exited.
   *
   * @return empty if there is no {@code /proc}
   */
  public static List<ProcStat> running() {
    List<ProcStat> all = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(PROC)) {
      dirs.map(d -> d.getFileName().toString()).filter(ProcStat::isPid)
          .forEach(n -> of(Long.parseLong(n)).filter(s -> !s.exited()).ifPresent(all::add));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return all;
  }

  /**
   * The id of this boot of the machine.
   *
   * @return empty where the kernel does not say it
   */
  public static Optional<String> bootId() {
    try {
      return Optional.of(Files.readString(PROC.resolve("sys/kernel/random/boot_id")).strip());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean isPid(String name) {
    if (name.isEmpty() || name.length() > 18) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
