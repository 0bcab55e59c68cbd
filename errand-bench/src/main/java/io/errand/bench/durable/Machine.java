package io.errand.bench.durable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the report must say about the machine next to each figure. */
public final class Machine {
  private Machine() {}

  /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
  public static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
