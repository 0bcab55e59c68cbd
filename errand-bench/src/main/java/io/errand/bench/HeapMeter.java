package io.errand.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.stream.Collectors;

/**
 * Measures the live heap: collects garbage several times until the used heap stops shrinking,
 * then reads it from the {@link MemoryMXBean}. Good to a few hundred kilobytes, which is noise
 * when a measurement spans a million objects.
 */
public final class HeapMeter {
  private static final int MAX_ROUNDS = 10;
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private HeapMeter() {}

  /** The heap in use, in bytes, after collecting garbage until it settles. */
  public static long liveBytes() {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < MAX_ROUNDS; i++) {
      System.gc();
      sleepQuietly(100);
      long used = MEMORY.getHeapMemoryUsage().getUsed();
      if (i >= 2 && used >= last - 64 * 1024) {
        return used;
      }
      last = Math.min(last, used);
    }
    return last;
  }

  /** The JVM and collector a measurement was taken on, for the report. */
  public static String describeJvm() {
    String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).collect(Collectors.joining("/"));
    return "java " + Runtime.version() + ", " + gcs + ", max heap "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
