package io.errand.bench;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.locks.LockSupport;

/**
 * Heap bytes per waiting task, at a million waiting tasks: Errand beside the JDK's own queue of
 * work. Not a JMH benchmark: a plain main, run with
 * {@code java -Xmx2g -cp errand-bench.jar io.errand.bench.WaitingTaskMemory [tasks]}.
 *
 * <p>Each subject has one worker, blocked in its first task, so that every task submitted
 * afterwards waits. The heap is measured after garbage collection before and after submitting
 * {@code tasks} (default 1,000,000) tasks whose argument is an {@link Integer}; the difference
 * divided by the count is the cost of one waiting task, its 16-byte {@code Integer} included.
 *
 * <ul>
 *   <li>Errand: the default memory store and one queue (capacity above the count), no
 *       listener (listeners keep nothing per task). Each waiting task is a full record:
 *       status, times, progress fields, its place in the queue's priority order and in the
 *       id index that makes it queryable.
 *   <li>JDK baseline: a one-thread {@link ThreadPoolExecutor} whose {@code LinkedBlockingQueue}
 *       holds one {@code Runnable} per task (a lambda capturing the argument), given with
 *       {@code execute}, the cheapest way to queue work on it.
 * </ul>
 *
 * <p>The JDK baseline is measured first and released before Errand is measured, in the same
 * JVM. Prints one line per subject, then one result line.
 */
public final class WaitingTaskMemory {
  /** The target of the issue: bytes of heap per waiting task, at a million waiting. */
  public static final double TARGET_BYTES_PER_TASK = 400;
  private static final int DEFAULT_TASKS = 1_000_000;

  private WaitingTaskMemory() {}

  /** Runs both measurements; the optional argument is the number of waiting tasks. */
  public static void main(String[] args) throws Exception {
    int tasks = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : DEFAULT_TASKS;
    if (tasks < 1) {
      throw new IllegalArgumentException("the number of tasks must be positive, was " + tasks);
    }
    double pool = perTask("ThreadPoolExecutor", tasks, measurePool(tasks));
    double errand = perTask("Errand", tasks, measureErrand(tasks));
    System.out.printf("WaitingTaskMemory: %,d waiting tasks: Errand %.1f bytes/task, "
            + "ThreadPoolExecutor %.1f bytes/task (Errand/JDK x%.2f); target <= %.0f: %s [%s]%n",
        tasks, errand, pool, errand / pool, TARGET_BYTES_PER_TASK,
        errand <= TARGET_BYTES_PER_TASK ? "MET" : "NOT MET", HeapMeter.describeJvm());
  }

  private static double perTask(String subject, int tasks, long bytes) {
    double per = (double) bytes / tasks;
    System.out.printf("  %-18s %,d tasks waiting: %,d bytes more heap, %.1f bytes/task%n",
        subject, tasks, bytes, per);
    return per;
  }

  /** Heap growth from queueing {@code tasks} runnables behind a blocked pool thread. */
  private static long measurePool(int tasks) throws InterruptedException {
    ThreadPoolExecutor pool = Pools.fixed("memory-pool", 1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    pool.execute(() -> {
      blocked.countDown();
      awaitQuietly(release);
    });
    blocked.await();
    long before = HeapMeter.liveBytes();
    for (int i = 0; i < tasks; i++) {
      Integer args = i;
      pool.execute(() -> consume(args));
    }
    long after = HeapMeter.liveBytes();
    check(pool.getQueue().size() == tasks, "pool queue holds " + pool.getQueue().size());
    release.countDown();
    Pools.stop(pool);
    return after - before;
  }

  /** Heap growth from submitting {@code tasks} tasks to an Errand queue whose worker is blocked. */
  private static long measureErrand(int tasks) throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    Errand errand = Errand.builder()
        .queue(QueueSpec.builder("memory", Integer.class, ctx -> {
          if (ctx.args() < 0) {
            blocked.countDown();
            awaitQuietly(release);
          }
          consume(ctx.args());
          return null;
        }).workers(1).capacity(tasks + 1).build())
        .build();
    try {
      errand.submit("memory", -1);
      blocked.await();
      long before = HeapMeter.liveBytes();
      for (int i = 0; i < tasks; i++) {
        errand.submit("memory", i);
      }
      long after = HeapMeter.liveBytes();
      long waiting = errand.metrics("memory").waiting();
      check(waiting == tasks, "Errand reports " + waiting + " waiting");
      release.countDown();
      awaitAllFinished(errand, tasks + 1);
      return after - before;
    } finally {
      release.countDown();
      errand.shutdown(Duration.ofSeconds(5));
    }
  }

  /**
   * Lets the queued tasks run before shutting down: shutting down a memory store with a million
   * waiting tasks would cancel them one by one, which is slow and not what is measured here.
   */
  private static void awaitAllFinished(Errand errand, long count) {
    long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (errand.metrics("memory").finished() < count && System.nanoTime() < giveUp) {
      LockSupport.parkNanos(10_000_000);
    }
  }

  private static void consume(Integer args) {
    // the task's work: nothing
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("measurement is invalid: " + what);
    }
  }
}
