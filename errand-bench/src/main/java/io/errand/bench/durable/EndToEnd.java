package io.errand.bench.durable;

import io.errand.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One end-to-end run, in a JVM of its own (started by {@link DurableThroughput}): a fresh
 * database, {@code tasks} no-op tasks submitted by {@code submitters} threads at once, and the
 * time until every accepted task's successful end is committed, read from the database. Gives
 * up at {@code limitSeconds} after the first submit and reports what it found then.
 *
 * <p>{@code EndToEnd <subject> <tasks> <submitters> <limitSeconds> <dir> <resultFile>
 * [errandWorkers]}; subjects: {@code errand-full}, {@code errand-normal},
 * {@code jobrunr-sqlite}, {@code jobrunr-sqlite-pool1}, {@code jobrunr-pg},
 * {@code dbscheduler-sqlite}, {@code dbscheduler-sqlite-pool1}, {@code dbscheduler-pg},
 * {@code errand-pg} (one node on PostgreSQL), {@code errand-pg-2nodes} (two nodes sharing one
 * PostgreSQL database, {@code errandWorkers} workers each: {@link ErrandPgSubject}).
 * Writes one line of {@code key=value} pairs to {@code resultFile}.
 */
public final class EndToEnd {
  private final String name;
  private final int tasks;
  private final int submitters;
  private final long limitNanos;
  private final Executions executions;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger submitErrors = new AtomicInteger();
  private final AtomicInteger submitLockErrors = new AtomicInteger();
  private final AtomicReference<String> firstSubmitError = new AtomicReference<>();

  private EndToEnd(String name, int tasks, int submitters, long limitSeconds) {
    this.name = name;
    this.tasks = tasks;
    this.submitters = submitters;
    this.limitNanos = TimeUnit.SECONDS.toNanos(limitSeconds);
    this.executions = new Executions(tasks);
  }

  public static void main(String[] args) throws Exception {
    String name = args[0];
    int tasks = Integer.parseInt(args[1]);
    int submitters = Integer.parseInt(args[2]);
    long limit = Long.parseLong(args[3]);
    Path dir = Path.of(args[4]);
    Path resultFile = Path.of(args[5]);
    int workers = args.length > 6 ? Integer.parseInt(args[6]) : 8;
    EndToEnd run = new EndToEnd(name, tasks, submitters, limit);
    String result;
    try (Target target = onPostgres(name) ? Target.Postgres.scratch()
        : new Target.Sqlite(dir.resolve("jobs.db"))) {
      result = run.run(run.subject(target, workers, tasks), target);
    }
    Files.writeString(resultFile, result + "\n");
    System.out.println("RESULT " + result);
    System.out.flush();
    Runtime.getRuntime().halt(0); // a peer's non-daemon threads must not keep the JVM alive
  }

  private Subject subject(Target target, int workers, int capacity) {
    return switch (name) {
      case "errand-full" -> new ErrandSubject(((Target.Sqlite) target).file(),
          SqliteStore.Synchronous.FULL, workers, capacity, executions);
      case "errand-normal" -> new ErrandSubject(((Target.Sqlite) target).file(),
          SqliteStore.Synchronous.NORMAL, workers, capacity, executions);
      case "jobrunr-sqlite", "jobrunr-pg" -> new JobRunrSubject(target, null, executions);
      case "jobrunr-sqlite-pool1" -> new JobRunrSubject(target, 1, executions);
      case "dbscheduler-sqlite", "dbscheduler-pg" ->
          new DbSchedulerSubject(target, null, executions);
      case "dbscheduler-sqlite-pool1" -> new DbSchedulerSubject(target, 1, executions);
      case "errand-pg" -> new ErrandPgSubject((Target.Postgres) target, 1, workers, capacity,
          executions);
      case "errand-pg-2nodes" -> new ErrandPgSubject((Target.Postgres) target, 2, workers,
          capacity, executions);
      default -> throw new IllegalArgumentException("unknown subject " + name);
    };
  }

  /** Whether subject {@code name} runs on a scratch PostgreSQL database (else a SQLite file). */
  static boolean onPostgres(String name) {
    return name.endsWith("-pg") || name.contains("-pg-");
  }

  private String run(Subject subject, Target target) throws Exception {
    String load = Machine.load();
    subject.start();
    String settings = subject.describe();
    long t0 = System.nanoTime();
    long deadline = t0 + limitNanos;
    List<Thread> threads = new ArrayList<>();
    for (int k = 0; k < submitters; k++) {
      int first = k;
      threads.add(Thread.ofPlatform().name("submitter-" + k).start(() -> {
        for (int i = first; i < tasks && System.nanoTime() < deadline; i += submitters) {
          submitOne(subject, i);
        }
      }));
    }
    long submitted = 0;
    long done = 0;
    long lastProgress = t0;
    long succeeded = -1;
    while (System.nanoTime() < deadline) {
      long now = System.nanoTime();
      if (submitted == 0 && threads.stream().noneMatch(Thread::isAlive)) {
        submitted = now;
      }
      if (submitted != 0 && executions.distinct() >= accepted.get()) {
        succeeded = subject.succeeded(accepted.get());
        if (succeeded >= accepted.get()) {
          done = System.nanoTime();
          break;
        }
      }
      if (now - lastProgress > TimeUnit.SECONDS.toNanos(5)) {
        lastProgress = now;
        System.out.printf(Locale.ROOT, "%s: %.0f s: accepted %d, ran %d, succeeded in db %d%n",
            name, (now - t0) / 1e9, accepted.get(), executions.distinct(),
            safeSucceeded(subject));
      }
      Thread.sleep(submitted == 0 || executions.distinct() < accepted.get() ? 5 : 20);
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    if (submitted == 0) {
      submitted = System.nanoTime();
    }
    Thread.sleep(done != 0 ? 0 : 1000); // a run that gave up: let in-flight work land
    Map<String, Long> states = safeStates(subject);
    long end = done != 0 ? done : System.nanoTime();
    double seconds = (end - t0) / 1e9;
    double firstExec = executions.firstNanos() == 0 ? -1 : (executions.firstNanos() - t0) / 1e9;
    String result = String.format(Locale.ROOT, "subject=%s tasks=%d submitters=%d accepted=%d "
            + "submitErrors=%d submitLockErrors=%d completed=%b submitSeconds=%.3f seconds=%.3f "
            + "rate=%.1f firstExecSeconds=%.3f executions=%d ran=%d duplicated=%d neverRan=%d "
            + "succeededInDb=%d states=%s settings=%s loadBefore=[%s] loadAfter=[%s] firstSubmitError=%s",
        name, tasks, submitters, accepted.get(), submitErrors.get(), submitLockErrors.get(),
        done != 0, (submitted - t0) / 1e9, seconds,
        done != 0 ? accepted.get() / seconds : safeSucceeded(subject) / seconds, firstExec,
        executions.total(), executions.distinct(), executions.duplicated(),
        executions.neverRan(), safeSucceeded(subject),
        states.toString().replace(" ", ""), settings, load, Machine.load(),
        String.valueOf(firstSubmitError.get()).replaceAll("\\s+", "_"));
    closeBounded(subject);
    return result;
  }

  private void submitOne(Subject subject, int task) {
    try {
      subject.submit(task);
      executions.accepted(task);
      accepted.incrementAndGet();
    } catch (Exception | Error e) {
      submitErrors.incrementAndGet();
      firstSubmitError.compareAndSet(null, e.toString());
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (LogScan.isLockError(c.getMessage())) {
          submitLockErrors.incrementAndGet();
          break;
        }
      }
    }
  }

  private long safeSucceeded(Subject subject) {
    try {
      return subject.succeeded(accepted.get());
    } catch (Exception e) {
      System.err.println("[harness] WARN count failed: " + e);
      return -1;
    }
  }

  private Map<String, Long> safeStates(Subject subject) {
    try {
      return subject.states();
    } catch (Exception e) {
      System.err.println("[harness] WARN states failed: " + e);
      return Map.of();
    }
  }

  /** A peer may take minutes to stop (db-scheduler waits up to 30 min for running jobs). */
  private void closeBounded(Subject subject) throws InterruptedException {
    Thread closer = Thread.ofPlatform().daemon(true).start(() -> {
      try {
        subject.close();
      } catch (Exception e) {
        System.err.println("[harness] WARN close failed: " + e);
      }
    });
    closer.join(TimeUnit.SECONDS.toMillis(60));
    if (closer.isAlive()) {
      System.err.println("[harness] WARN " + name + " did not stop within 60 s");
    }
  }
}
