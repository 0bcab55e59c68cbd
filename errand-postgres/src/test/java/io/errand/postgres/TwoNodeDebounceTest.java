package io.errand.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.Errand;
import io.errand.api.OnConflict;
import io.errand.api.QueueSpec;
import io.errand.api.SubmitOptions;
import io.errand.api.Submitted;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.api.Uniqueness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines ("nodes") on one schema, many threads on each submitting one key with debounce:
 * one task, its run time pushed by the submits that came after the first, none lost.
 */
class TwoNodeDebounceTest {
  private final TestDatabase db = TestDatabase.get();
  private String schema;
  private Errand a;
  private Errand b;

  @BeforeEach
  void start() {
    schema = db.freshSchema();
    a = node("node-a");
    b = node("node-b");
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    db.drop(schema);
  }

  private Errand node(String name) {
    PostgresStore store = PostgresStore.builder(db.url()).schema(schema).poolSize(4).build();
    return Errand.builder().store(store).node(name)
        .queue(QueueSpec.builder("index", Object.class, ctx -> "indexed").workers(1).build())
        .shutdownGrace(Duration.ofSeconds(5)).build();
  }

  @Test
  void manyThreadsOnTwoNodesDebouncingOneKeyMakeOneTaskWhoseRunTimeEachPushed()
      throws Exception {
    SubmitOptions debounce = SubmitOptions.unique("reindex",
        Uniqueness.LIVE.withOnConflict(OnConflict.DEBOUNCE)).withDelay(Duration.ofHours(1));
    int threads = 8;
    int each = 20;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<Submitted>>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        Errand node = t % 2 == 0 ? a : b;
        futures.add(pool.submit(() -> {
          go.await();
          List<Submitted> out = new ArrayList<>();
          for (int i = 0; i < each; i++) {
            out.add(node.submitOrFind("index", i, debounce));
          }
          return out;
        }));
      }
      Instant firstPossible = Instant.now();
      go.countDown();
      List<Submitted> all = new ArrayList<>();
      for (Future<List<Submitted>> f : futures) {
        all.addAll(f.get());
      }
      Instant lastReturned = Instant.now();

      assertThat(all.stream().filter(Submitted::created)).hasSize(1);
      assertThat(all.stream().filter(s -> !s.created()).map(Submitted::resolved))
          .hasSize(threads * each - 1).containsOnly(OnConflict.DEBOUNCE);
      assertThat(all.stream().map(Submitted::id).distinct()).hasSize(1);
      long id = all.get(0).id();
      assertThat(a.list(new TaskQuery("index", null, 10, 0)).items()).hasSize(1);
      var task = b.get(id).orElseThrow();
      assertThat(task.status()).isEqualTo(TaskStatus.WAITING);
      // pushed by a later submit: after the first one's run time, at most the last one's
      assertThat(task.runAt()).isAfter(task.createdAt().plus(Duration.ofHours(1)))
          .isAfterOrEqualTo(firstPossible.plus(Duration.ofHours(1)))
          .isBeforeOrEqualTo(lastReturned.plus(Duration.ofHours(1)));
    } finally {
      pool.shutdownNow();
    }
  }
}
