package io.errand.bench.durable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CPU time a process of this machine has used, from {@code /proc/<pid>/stat}. */
final class ProcCpu {
  /** Clock ticks per second of {@code /proc} times: 100 on Linux for x86-64 and arm64. */
  private static final long TICKS_PER_SECOND = 100;

  private ProcCpu() {}

  /** User plus system CPU milliseconds of process {@code pid}; 0 if it is gone or unreadable. */
  static long millis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name may hold spaces: the fields are counted after its closing ')'
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
      return ticks * 1000 / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }
}
