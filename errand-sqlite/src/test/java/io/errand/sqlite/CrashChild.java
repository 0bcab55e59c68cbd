package io.errand.sqlite;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * The process {@link CrashHarness} kills: an engine on a SQLite file, plus the client that
 * submits to it (a second process could not open the owned file).
 *
 * <p>{@code CrashChild <db> <execLog> <workers> <toSubmit> <submitPauseMicros> <drain> <firstArg>
 * [synchronous]}: opens an {@link Errand} on {@code db} (with {@code synchronous} NORMAL, the
 * default, or FULL) with queue {@code crash} ({@code workers} workers), prints
 * {@code ready}, then one client thread submits {@code toSubmit} tasks, printing
 * {@code acked <id>} after each {@code submit} returned (after its commit), pausing
 * {@code submitPauseMicros} between submits (arguments {@code firstArg}, {@code firstArg + 1},
 * ...). Each execution of a task first appends
 * {@code exec <id> <attempt>} to {@code execLog} (one {@code write} per line, O_APPEND: in the
 * kernel's page cache at once, so it survives a SIGKILL of this process), then works 0-20 ms
 * (spin or sleep, chosen by the task's argument). When {@code drain} is {@code true} the child,
 * after submitting, waits until the file holds no WAITING or RUNNING task, prints
 * {@code drained}, closes the engine and exits 0; otherwise it runs until killed.
 */
public final class CrashChild {
  static final String QUEUE = "crash";

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    Path execLog = Path.of(args[1]);
    int workers = Integer.parseInt(args[2]);
    int toSubmit = Integer.parseInt(args[3]);
    long pauseMicros = Long.parseLong(args[4]);
    boolean drain = Boolean.parseBoolean(args[5]);
    int firstArg = Integer.parseInt(args[6]);
    SqliteStore.Synchronous synchronous = args.length > 7
        ? SqliteStore.Synchronous.valueOf(args[7]) : SqliteStore.Synchronous.NORMAL;
    PrintStream out = System.out;
    FileOutputStream log = new FileOutputStream(execLog.toFile(), true);

    Errand errand = Errand.builder()
        .store(SqliteStore.builder(db).synchronous(synchronous).build())
        .queue(QueueSpec.builder(QUEUE, Integer.class, ctx -> {
          byte[] line = ("exec " + ctx.id() + " " + ctx.attempt() + "\n")
              .getBytes(StandardCharsets.US_ASCII);
          synchronized (log) {
            try {
              log.write(line); // one write(2) on an O_APPEND file
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
          work(ctx.args());
          return ctx.args();
        }).workers(workers).build())
        .build();
    say(out, "ready");

    for (int i = 0; i < toSubmit; i++) {
      long id = errand.submit(QUEUE, firstArg + i);
      say(out, "acked " + id);
      if (pauseMicros > 0) {
        LockSupport.parkNanos(pauseMicros * 1000);
      }
    }
    say(out, "submitted");
    if (!drain) {
      Thread.currentThread().join(); // until killed
      return;
    }
    while (live(errand, TaskStatus.WAITING) || live(errand, TaskStatus.RUNNING)) {
      Thread.sleep(20); // a poll interval: recovered tasks were never submitted here, so no
      // await covers them all; the parent bounds the whole wait with its own time-out
    }
    say(out, "drained");
    errand.close();
    synchronized (log) {
      log.close();
    }
    System.exit(0);
  }

  private static boolean live(Errand errand, TaskStatus status) {
    return !errand.list(TaskQuery.newest(1).inQueue(QUEUE).withStatus(status)).items().isEmpty();
  }

  /** 0-20 ms of work: a spin on even arguments, a sleep on odd ones. */
  private static void work(int arg) throws InterruptedException {
    int h = arg * 0x9E3779B1;
    long micros = Math.floorMod(h >>> 8, 20_001);
    if ((arg & 1) == 0) {
      long end = System.nanoTime() + micros * 1000;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
    } else {
      Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
    }
  }

  private static void say(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
