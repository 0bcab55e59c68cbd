package io.errand.sqlite;

import io.errand.api.Page;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.spi.StoreContext;
import io.errand.spi.TaskRecord;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.RecordingSignals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Issue 4's crash harness: a real process, a real SIGKILL. A {@link CrashChild} runs an engine
 * on one SQLite file while its own client thread submits tasks; the harness kills it with
 * SIGKILL ({@link Sigkill}; the exit status 137 = 128 + 9 is checked) at a random moment
 * 100-600 ms after it printed {@code ready}, reads what it printed to the end, restarts it on
 * the same file, and so on {@code kills} times; then it starts it once more without killing
 * it, until it has submitted the rest and drained the queue. Then it opens the file itself and
 * checks:
 *
 * <ul>
 *   <li>every acknowledged id is in the file, SUCCESS (none lost); every task in the file is
 *       SUCCESS (one terminal record each: a row per id, ids unique); no id is acknowledged
 *       twice, and at most one task per kill that came before the child had submitted all its
 *       tasks is in the file unacknowledged (the single client's submit that committed just
 *       before the kill);
 *   <li>each task's executions (the child's append-only log) have strictly increasing attempt
 *       numbers, the last one being the attempt in the final record, and there are never more
 *       executions than that attempt;
 *   <li>the attempts beyond the first, over all tasks, are at most {@code kills * workers}:
 *       only a task RUNNING at a kill is run again (a kill can catch at most {@code workers}).
 * </ul>
 *
 * <p>Run from the test ({@code CrashHarnessTest}, sizes from {@code crash.*} system properties)
 * or as {@code CrashHarness <kills> <tasks> [workers] [seed] [dir]} with the test classpath.
 */
public final class CrashHarness {
  /** What a run did; {@code reruns} counts executions beyond the first of each task. */
  public record Result(int kills, int tasks, int acked, int lost, long executions, long reruns,
      long extraAttempts, int killsWhileSubmitting, int killsBeforeReady, int workers, long seed,
      SqliteStore.Synchronous synchronous, Duration wall) {
    public String summary() {
      return "crash harness: kills=" + kills + " tasks=" + tasks + " lost=" + lost + " reruns="
          + reruns + " (acked=" + acked + " executions=" + executions + " extraAttempts="
          + extraAttempts + " killsWhileSubmitting=" + killsWhileSubmitting
          + " killsBeforeReady=" + killsBeforeReady + " workers=" + workers + " seed=" + seed
          + " synchronous=" + synchronous + " wall=" + wall.toMillis() + "ms)";
    }
  }

  private static final String EOF = "\u0000eof";

  private final Path dir;
  private final int kills;
  private final int tasks;
  private final int workers;
  private final long seed;
  private final long pauseMicros;
  private final Random random;
  private final List<Process> children = new ArrayList<>();
  private int killsWhileSubmitting;
  private int killsBeforeReady;
  private boolean fromStart;
  private SqliteStore.Synchronous synchronous = SqliteStore.Synchronous.NORMAL;

  /**
   * Kills at a random moment 0-1500 ms after the child started instead of 100-600 ms after it
   * printed {@code ready}: also while it opens the file and puts back the tasks a previous kill
   * left RUNNING.
   */
  public CrashHarness killingFromStart(boolean fromStart) {
    this.fromStart = fromStart;
    return this;
  }

  /**
   * The child's store setting: NORMAL (the default), which acknowledges before the WAL is
   * synced, or FULL; a SIGKILL of the process must lose nothing acknowledged with either, as
   * the unsynced WAL is in the OS's page cache (a power cut is another matter, not tested here).
   */
  public CrashHarness synchronous(SqliteStore.Synchronous synchronous) {
    this.synchronous = synchronous;
    return this;
  }

  public CrashHarness(Path dir, int kills, int tasks, int workers, long seed, long pauseMicros) {
    this.dir = dir;
    this.kills = kills;
    this.tasks = tasks;
    this.workers = workers;
    this.seed = seed;
    this.pauseMicros = pauseMicros;
    this.random = new Random(seed);
  }

  public static void main(String[] args) throws Exception {
    int kills = Integer.parseInt(args[0]);
    int tasks = Integer.parseInt(args[1]);
    int workers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : System.nanoTime();
    Path dir = args.length > 4 ? Path.of(args[4]) : Files.createTempDirectory("crash");
    System.out.println(new CrashHarness(dir, kills, tasks, workers, seed, 1000).run().summary());
  }

  /** Runs it; throws an AssertionError naming every broken invariant. */
  public Result run() throws Exception {
    long start = System.nanoTime();
    Path db = dir.resolve("errand.db");
    Path execLog = dir.resolve("exec.log");
    List<Long> acked = new ArrayList<>();
    try {
      for (int k = 0; k < kills; k++) {
        Child c = start(db, execLog, k, false, acked.size());
        if (fromStart) {
          Thread.sleep(random.nextInt(1501));
        } else {
          c.await("ready", Duration.ofSeconds(60));
          Thread.sleep(100 + random.nextInt(501)); // the random moment is the point
        }
        if (!c.process.isAlive()) {
          throw new AssertionError("child " + k + " died before the kill, exit "
              + c.process.exitValue() + ": " + c.stderr());
        }
        Sigkill.of(c.process); // not Process.destroyForcibly: it drops unread acked lines
        if (!c.process.waitFor(30, TimeUnit.SECONDS)) {
          throw new AssertionError("child " + k + " did not die of SIGKILL");
        }
        if (c.process.exitValue() != 137) { // 128 + SIGKILL
          throw new AssertionError("child " + k + " exited " + c.process.exitValue()
              + ", not 137 (SIGKILL): " + c.stderr());
        }
        acked.addAll(c.rest(Duration.ofSeconds(30))); // what the pipe still held
        if (!c.submittedAll) {
          killsWhileSubmitting++;
        }
        if (!c.ready) {
          killsBeforeReady++;
        }
      }
      Child last = start(db, execLog, kills, true, acked.size());
      last.await("drained", Duration.ofSeconds(120).plusMillis(20L * tasks / workers));
      if (!last.process.waitFor(60, TimeUnit.SECONDS) || last.process.exitValue() != 0) {
        throw new AssertionError("last child did not exit 0: " + last.stderr());
      }
      acked.addAll(last.rest(Duration.ofSeconds(30)));
    } finally {
      for (Process p : children) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
    return check(db, execLog, acked, Duration.ofNanos(System.nanoTime() - start));
  }

  private Result check(Path db, Path execLog, List<Long> ackedIds, Duration wall)
      throws IOException {
    Map<Long, TaskInfo> inFile = new HashMap<>();
    List<String> problems = new ArrayList<>();
    Set<Long> acked = new LinkedHashSet<>(ackedIds);
    if (acked.size() != ackedIds.size()) {
      problems.add((ackedIds.size() - acked.size()) + " ids acknowledged twice");
    }
    SqliteStore store = SqliteStore.at(db);
    store.open(new StoreContext(InstantSource.system(), new RecordingSignals(),
        new JsonTestCodec(Map.of()), "harness"));
    try {
      long cursor = 0;
      do {
        Page<TaskRecord> page = store.tasks().list(new TaskQuery(CrashChild.QUEUE, null,
            TaskQuery.MAX_LIMIT, cursor));
        for (TaskRecord r : page.items()) {
          if (inFile.put(r.id(), r.info()) != null) {
            problems.add("task " + r.id() + " listed twice");
          }
        }
        cursor = page.nextCursor();
      } while (cursor != 0);
    } finally {
      store.close();
    }

    Map<Long, List<Integer>> execs = new HashMap<>();
    long executions = 0;
    for (String line : Files.readAllLines(execLog, StandardCharsets.US_ASCII)) {
      String[] f = line.split(" ");
      if (f.length != 3 || !f[0].equals("exec")) {
        problems.add("torn or unknown exec log line: '" + line + "'");
        continue;
      }
      execs.computeIfAbsent(Long.parseLong(f[1]), id -> new ArrayList<>())
          .add(Integer.parseInt(f[2]));
      executions++;
    }

    int lost = 0;
    for (long id : acked) {
      TaskInfo info = inFile.get(id);
      if (info == null || info.status() != TaskStatus.SUCCESS) {
        lost++;
        problems.add("acknowledged task " + id + " is "
            + (info == null ? "missing" : info.status() + " " + info));
      }
    }
    long reruns = 0;
    long extraAttempts = 0;
    for (TaskInfo info : inFile.values()) {
      long id = info.id();
      List<Integer> attempts = execs.getOrDefault(id, List.of());
      if (info.status() != TaskStatus.SUCCESS) {
        problems.add("task " + id + " ended " + info.status() + ": " + info);
      }
      if (attempts.isEmpty()) {
        problems.add("task " + id + " (" + info.status() + ") never executed");
        continue;
      }
      for (int i = 1; i < attempts.size(); i++) {
        if (attempts.get(i) <= attempts.get(i - 1)) {
          problems.add("task " + id + " executed with attempts " + attempts
              + ": not strictly increasing");
          break;
        }
      }
      if (attempts.getLast() != info.attempt()) {
        problems.add("task " + id + " ends at attempt " + info.attempt()
            + " but its last execution was attempt " + attempts.getLast() + " " + attempts);
      }
      if (attempts.size() > info.attempt()) {
        problems.add("task " + id + " executed " + attempts.size() + " times, attempt "
            + info.attempt() + " " + attempts);
      }
      reruns += attempts.size() - 1;
      extraAttempts += info.attempt() - 1;
    }
    for (long id : execs.keySet()) {
      if (!inFile.containsKey(id)) {
        problems.add("task " + id + " executed " + execs.get(id) + " but is not in the file");
      }
    }
    // one client thread: a kill can catch at most one submit committed but not yet acknowledged
    long unacked = inFile.keySet().stream().filter(id -> !acked.contains(id)).count();
    if (unacked > killsWhileSubmitting) {
      problems.add(unacked + " tasks in the file were never acknowledged: more than the "
          + killsWhileSubmitting + " kills during submits (one submit in flight each) explain");
    }
    if (extraAttempts > (long) kills * workers) {
      problems.add("attempts beyond the first: " + extraAttempts + " > kills x workers = "
          + kills + " x " + workers);
    }
    Result result = new Result(kills, inFile.size(), acked.size(), lost, executions, reruns,
        extraAttempts, killsWhileSubmitting, killsBeforeReady, workers, seed, synchronous, wall);
    if (!problems.isEmpty()) {
      throw new AssertionError(result.summary() + "; " + problems.size() + " problems (files in "
          + dir + "):\n" + String.join("\n", problems.subList(0, Math.min(50,
          problems.size()))));
    }
    return result;
  }

  private Child start(Path db, Path execLog, int run, boolean drain, int alreadyAcked)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    int toSubmit = Math.max(0, tasks - alreadyAcked);
    Path err = dir.resolve("child-" + run + ".err");
    Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), CrashChild.class.getName(), db.toString(),
        execLog.toString(), Integer.toString(workers), Integer.toString(toSubmit),
        Long.toString(pauseMicros), Boolean.toString(drain), Integer.toString(alreadyAcked),
        synchronous.name())
        .redirectError(err.toFile())
        .start();
    children.add(p);
    return new Child(p, err);
  }

  /** A child and the lines of its stdout, read by a daemon thread until EOF. */
  private static final class Child {
    final Process process;
    final Path err;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<Long> acked = new ArrayList<>();
    boolean submittedAll;
    boolean ready;

    Child(Process process, Path err) {
      this.process = process;
      this.err = err;
      Thread.ofPlatform().daemon(true).start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
            process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            lines.add(line);
          }
        } catch (IOException e) {
          // the child died: what it printed before is all there is
        } finally {
          lines.add(EOF);
        }
      });
    }

    /** Waits for {@code wanted}, keeping the acked ids seen on the way. */
    void await(String wanted, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line == null || line.equals(EOF)) {
          throw new AssertionError((line == null ? "no '" + wanted + "' within " + timeout
              : "child ended before '" + wanted + "'") + ": " + stderr());
        }
        take(line);
        if (line.equals(wanted)) {
          return;
        }
      }
    }

    /** Reads the rest of the child's stdout, to its end; the acked ids of the whole run. */
    List<Long> rest(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError("child's stdout not closed within " + timeout);
        }
        if (line.equals(EOF)) {
          return acked;
        }
        take(line);
      }
    }

    private void take(String line) {
      if (line.startsWith("acked ")) {
        acked.add(Long.parseLong(line.substring(6)));
      } else if (line.equals("ready")) {
        ready = true;
      } else if (line.equals("submitted")) {
        submittedAll = true;
      }
    }

    String stderr() {
      try {
        String s = Files.readString(err);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
      } catch (IOException e) {
        return "(no stderr: " + e + ")";
      }
    }
  }
}
