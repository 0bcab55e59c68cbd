package io.errand.bench.durable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 4's durable end-to-end comparison: runs {@link EndToEnd} once per subject, each in a
 * fresh JVM on a fresh database, one after the other, and prints one table row per run. Each
 * run's log (the child's stderr) is kept and scanned for SQLite lock errors ({@link LogScan}).
 *
 * <pre>
 * errand-bench/run.sh durable [--tasks 100000] [--peer-tasks 20000] [--limit 300]
 *     [--submitters 4] [--workers 8] [--out DIR] [subject ...]
 * </pre>
 *
 * <p>Errand's SQLite subjects submit {@code --tasks}; peers and every PostgreSQL subject
 * {@code --peer-tasks}; a subject named with a count ({@code errand-full:20000}) submits that
 * many. Without subjects it runs the whole plan: {@link #PLAN}; the subject {@code pg} stands
 * for {@link #PG_PLAN}. After the table it prints each subject's rate as a ratio to every
 * PostgreSQL peer's rate of the same run.
 */
public final class DurableThroughput {
  /** The default plan, in order. */
  static final List<String> PLAN = List.of("errand-normal", "jobrunr-sqlite",
      "dbscheduler-sqlite", "jobrunr-sqlite-pool1", "dbscheduler-sqlite-pool1", "jobrunr-pg",
      "dbscheduler-pg", "errand-normal:20000", "errand-full");
  /**
   * The PostgreSQL cluster plan (issue 13), named {@code pg} on the command line: the peers
   * and Errand with one and two nodes, each {@code --peer-tasks} tasks.
   */
  static final List<String> PG_PLAN = List.of("dbscheduler-pg", "jobrunr-pg", "errand-pg",
      "errand-pg-2nodes");

  private DurableThroughput() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>(Map.of("--tasks", "100000",
        "--peer-tasks", "20000", "--limit", "300", "--submitters", "4", "--workers", "8"));
    List<String> subjects = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        if (!opts.containsKey(args[i]) && !args[i].equals("--out")) {
          throw new IllegalArgumentException("unknown option " + args[i]);
        }
        opts.put(args[i], args[++i]);
      } else {
        for (String subject : args[i].split(",")) {
          subjects.addAll(subject.equals("pg") ? PG_PLAN : List.of(subject));
        }
      }
    }
    if (subjects.isEmpty()) {
      subjects.addAll(PLAN);
    }
    Path out = Path.of(opts.getOrDefault("--out", "durable-results/"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    Files.createDirectories(out);
    System.out.println("# durable end-to-end runs, logs and results in " + out.toAbsolutePath());
    List<String> rows = new ArrayList<>();
    Map<String, Double> rates = new LinkedHashMap<>();
    rows.add("| subject | settings | tasks | completed | seconds | tasks/s | first run at (s) | "
        + "tasks/s from first run | "
        + "duplicates | never ran | lock errors (log / submit) | submit errors | "
        + "db states at end | load before / after |");
    rows.add("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- "
        + "| --- |");
    for (int i = 0; i < subjects.size(); i++) {
      String spec = subjects.get(i);
      String name = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
      String tasks = spec.contains(":") ? spec.substring(spec.indexOf(':') + 1)
          : opts.get(name.startsWith("errand") && !EndToEnd.onPostgres(name) ? "--tasks"
              : "--peer-tasks");
      String row = runOne(out, i + 1 + "-" + name, name, tasks, opts, rates);
      rows.add(row);
      System.out.println(row);
    }
    rows.addAll(ratios(rates));
    Files.write(out.resolve("summary.md"), rows, StandardCharsets.UTF_8);
    System.out.println();
    rows.forEach(System.out::println);
  }

  /**
   * A table of each completed subject's rate divided by each PostgreSQL peer's rate of this
   * run (empty if no peer on PostgreSQL completed).
   */
  static List<String> ratios(Map<String, Double> rates) {
    List<String> peers = rates.keySet().stream()
        .filter(n -> EndToEnd.onPostgres(n) && !n.startsWith("errand")).toList();
    if (peers.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("| subject | tasks/s | " + peers.stream().map(p -> "× " + p)
        .reduce((a, b) -> a + " | " + b).orElseThrow() + " |");
    lines.add("| --- | --- |" + " --- |".repeat(peers.size()));
    rates.forEach((name, rate) -> {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %.1f |", name,
          rate));
      for (String p : peers) {
        line.append(String.format(Locale.ROOT, " %.2f |", rate / rates.get(p)));
      }
      lines.add(line.toString());
    });
    return lines;
  }

  private static String runOne(Path out, String id, String name, String tasks,
      Map<String, String> opts, Map<String, Double> rates)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("errand-durable-");
    Path log = out.resolve(id + ".log");
    Path resultFile = out.resolve(id + ".result");
    long limit = Long.parseLong(opts.get("--limit"));
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = List.of(java, "-Xms2g", "-Xmx2g", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), EndToEnd.class.getName(), name, tasks,
        opts.get("--submitters"), Long.toString(limit), dir.toString(), resultFile.toString(),
        opts.get("--workers"));
    System.out.println("# " + id + ": " + String.join(" ", cmd.subList(5, cmd.size()))
        + " (load " + Machine.load() + ")");
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(log.toFile()).start();
    boolean exited = p.waitFor(limit + 180, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    Dirs.deleteQuietly(dir);
    LogScan.Counts counts = LogScan.scan(log);
    if (!Files.exists(resultFile)) {
      return "| " + name + " | | " + tasks + " | no result (" + (exited ? "exit " + p.exitValue()
          : "killed after " + (limit + 180) + " s") + "; see " + log + ") | | | | | | | "
          + counts.lockErrors() + " / ? | | | |";
    }
    Map<String, String> r = parse(Files.readString(resultFile).trim());
    Files.writeString(out.resolve(id + ".logscan"), counts + "\n");
    double seconds = Double.parseDouble(r.get("seconds"));
    double first = Double.parseDouble(r.get("firstExecSeconds"));
    double succeeded = Double.parseDouble(r.get("succeededInDb"));
    if (Boolean.parseBoolean(r.get("completed"))) {
      rates.put(name, Double.parseDouble(r.get("rate")));
    }
    String fromFirst = first < 0 || seconds <= first ? "-"
        : String.format(Locale.ROOT, "%.1f", succeeded / (seconds - first));
    return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s "
            + "| %d / %s | %s | %s | %s / %s |",
        name, r.get("settings"), r.get("accepted") + " of " + r.get("tasks"), r.get("completed"),
        r.get("seconds"), r.get("rate"), r.get("firstExecSeconds"), fromFirst, r.get("duplicated"),
        r.get("neverRan"), counts.lockErrors(), r.get("submitLockErrors"),
        r.get("submitErrors"), r.get("states"), r.get("loadBefore"), r.get("loadAfter"));
  }

  /** The {@code key=value} pairs of a result line (values hold no spaces). */
  static Map<String, String> parse(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : line.split(" (?=[a-zA-Z]+=)")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        m.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return m;
  }
}
