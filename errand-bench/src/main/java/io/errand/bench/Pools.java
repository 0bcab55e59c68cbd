package io.errand.bench;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK baseline every benchmark compares against: a fixed {@link ThreadPoolExecutor} with an
 * unbounded {@link LinkedBlockingQueue}, as {@code Executors.newFixedThreadPool} builds it, with
 * its threads started up front so no benchmark pays for thread creation.
 */
public final class Pools {
  private Pools() {}

  /** A fixed pool of {@code workers} platform daemon threads named {@code name-N}, all started. */
  public static ThreadPoolExecutor fixed(String name, int workers) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), daemonThreads(name));
    pool.prestartAllCoreThreads();
    return pool;
  }

  /** Stops {@code pool}, interrupting what still runs, and waits a little for it. */
  public static void stop(ThreadPoolExecutor pool) {
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger seq = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + seq.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
