package io.errand.bench;

import io.errand.api.Errand;
import io.errand.api.KeyState;
import io.errand.api.Supervisor;
import io.errand.api.SupervisorSpec;
import java.util.concurrent.CountDownLatch;

/**
 * Heap per live supervised key: {@code keys} keys (100,000 by default), each with an instance
 * on its own virtual thread, blocked as a connection reader would be. Run with a 1 GiB heap
 * ({@code run.sh live-keys}); the figure includes each blocked virtual thread's stack, which
 * lives in the heap. Side by side: the same number of bare virtual threads blocked the same
 * way, the floor any one-thread-per-key design pays.
 */
public final class LiveKeysMemory {
  private LiveKeysMemory() {}

  /** Prints bytes per live key for Errand's supervisor and for bare virtual threads. */
  public static void main(String[] args) throws Exception {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    System.out.println(HeapMeter.describeJvm() + ", " + keys + " keys");

    long before = HeapMeter.liveBytes();
    CountDownLatch running = new CountDownLatch(keys);
    SupervisorSpec<Integer> spec = SupervisorSpec.builder("conn", Integer.class, ctx -> {
      CountDownLatch stop = new CountDownLatch(1);
      ctx.onCancel(stop::countDown);
      running.countDown();
      stop.await(); // blocked, as on a socket read
    }).build();
    long errandBytes;
    try (Errand errand = Errand.builder().supervisor(spec).build()) {
      Supervisor s = errand.supervisor("conn");
      for (int i = 0; i < keys; i++) {
        s.put("account-" + i, i);
      }
      running.await();
      errandBytes = HeapMeter.liveBytes() - before;
      long live = s.list().stream().filter(k -> k.state() == KeyState.RUNNING).count();
      System.out.printf("errand supervisor: %d keys RUNNING, %.1f MiB, %d bytes per key%n", live,
          errandBytes / 1048576.0, errandBytes / keys);
    }

    long beforeBare = HeapMeter.liveBytes();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch parked = new CountDownLatch(keys);
    Thread[] threads = new Thread[keys];
    for (int i = 0; i < keys; i++) {
      threads[i] = Thread.ofVirtual().start(() -> {
        CountDownLatch own = new CountDownLatch(1);
        parked.countDown();
        try {
          own.await(); // never counted down: blocked like the keys above
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    parked.await();
    long bareBytes = HeapMeter.liveBytes() - beforeBare;
    System.out.printf("bare virtual threads: %d blocked, %.1f MiB, %d bytes per thread%n", keys,
        bareBytes / 1048576.0, bareBytes / keys);
    System.out.printf("ratio: errand / bare = %.2f%n", (double) errandBytes / bareBytes);
    for (Thread t : threads) {
      t.interrupt();
    }
    release.countDown();
  }
}
