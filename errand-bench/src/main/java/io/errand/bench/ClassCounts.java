package io.errand.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Live instances per class, from the JVM's own class histogram (what {@code jcmd PID
 * GC.class_histogram} prints, asked in-process through the DiagnosticCommand MBean). Taking
 * it runs a full collection, so only live objects are counted.
 */
public final class ClassCounts {
  private final Map<String, long[]> byClass; // class name -> {instances, bytes}
  private final long totalBytes;

  private ClassCounts(Map<String, long[]> byClass, long totalBytes) {
    this.byClass = byClass;
    this.totalBytes = totalBytes;
  }

  /**
   * Takes the histogram now.
   *
   * @throws IllegalStateException if this JVM has no DiagnosticCommand MBean (not HotSpot)
   */
  public static ClassCounts take() {
    String text;
    try {
      text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
    } catch (JMException e) {
      throw new IllegalStateException("no class histogram on this JVM: " + e.getMessage(), e);
    }
    Map<String, long[]> counts = new HashMap<>();
    long total = 0;
    for (String line : text.split("\n")) {
      // " 1:   12345   678900  java.lang.String (java.base@21)"
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        counts.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      } else if (f.length == 3 && f[0].equals("Total")) {
        total = Long.parseLong(f[2]);
      }
    }
    return new ClassCounts(counts, total);
  }

  /**
   * The bytes of all live objects: the exact live heap after the histogram's full collection,
   * without the collector's region slack that the MemoryMXBean's "used" includes.
   */
  public long totalBytes() {
    return totalBytes;
  }

  /** Live instances of {@code className} (binary name, e.g. {@code a.B$C}); 0 if none. */
  public long instances(String className) {
    long[] c = byClass.get(className);
    return c == null ? 0 : c[0];
  }

  /** The {@code top} classes whose bytes grew most from {@code before} to this, one a line. */
  public String grownSince(ClassCounts before, int top) {
    StringBuilder out = new StringBuilder();
    byClass.entrySet().stream()
        .map(e -> {
          long[] was = before.byClass.getOrDefault(e.getKey(), new long[2]);
          return Map.entry(e.getKey(), new long[] {e.getValue()[0] - was[0],
              e.getValue()[1] - was[1]});
        })
        .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
        .limit(top)
        .forEach(e -> out.append(String.format("  %+,12d bytes %+,10d instances  %s%n",
            e.getValue()[1], e.getValue()[0], e.getKey())));
    return out.toString();
  }
}
