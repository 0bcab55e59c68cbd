package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.KeyState;
import io.errand.api.KeyStatus;
import io.errand.api.Supervisor;
import io.errand.api.SupervisorSpec;
import io.errand.api.UnknownKeyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's invariant, proved under contention: many real threads drive put, replace,
 * remove, pause and resume on a few keys at once, while each instance holds a fake connection;
 * no key ever has two connections open, and what the supervisor reports at the end is what is
 * actually running.
 */
class SupervisorStressTest {
  private static final List<String> KEYS = List.of("a", "b", "c");

  @Test
  void neverTwoLiveInstancesOfAKeyWhateverTheThreadsDo() throws Exception {
    Connections connections = new Connections();
    AtomicInteger ops = new AtomicInteger();
    SupervisorSpec<Integer> spec = SupervisorSpec.builder("conn", Integer.class, ctx -> {
      CountDownLatch stop = new CountDownLatch(1);
      ctx.onCancel(stop::countDown);
      connections.open(ctx.key());
      try {
        stop.await();
      } finally {
        connections.close(ctx.key());
      }
    }).build();
    try (Errand errand = Errand.builder().supervisor(spec).build()) {
      Supervisor s = errand.supervisor("conn");
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        threads.add(Thread.ofPlatform().start(() -> {
          awaitQuietly(go);
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = 0; i < 1_500; i++) {
            String key = KEYS.get(random.nextInt(KEYS.size()));
            int args = random.nextInt(3);
            try {
              switch (random.nextInt(5)) {
                case 0 -> s.put(key, args);
                case 1 -> s.replace(key, args);
                case 2 -> s.remove(key);
                case 3 -> s.pause(key);
                default -> s.resume(key);
              }
            } catch (UnknownKeyException e) {
              // pause or resume of a key another thread just removed: allowed
            }
            ops.incrementAndGet();
          }
        }));
      }
      go.countDown();
      for (Thread t : threads) {
        t.join(Duration.ofSeconds(120));
        assertThat(t.isAlive()).as("a worker thread is stuck").isFalse();
      }

      assertThat(ops).hasValue(8 * 1_500);
      for (String key : KEYS) {
        assertThat(connections.peak(key)).as("peak live instances of key " + key).isEqualTo(1);
        Optional<KeyStatus> status = s.status(key);
        int expectedOpen = status.map(KeyStatus::state).orElse(KeyState.STOPPED)
            == KeyState.RUNNING ? 1 : 0;
        await().until(() -> connections.openNow(key) == expectedOpen);
      }
      // and each key still answers the last word said to it
      s.put("a", 7);
      s.resume("a"); // a put keeps a paused key paused: the stress may have left "a" paused
      s.put("b", 1);
      s.pause("b");
      s.remove("c");
      assertThat(s.status("a").orElseThrow().state()).isEqualTo(KeyState.RUNNING);
      assertThat(s.status("a").orElseThrow().args()).isEqualTo(7);
      assertThat(s.status("b").map(KeyStatus::state)).hasValue(KeyState.PAUSED);
      assertThat(s.status("c")).isEmpty();
      await().until(() -> connections.openNow("a") == 1 && connections.openNow("b") == 0
          && connections.openNow("c") == 0);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
