package io.errand.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.ErrandException;
import io.errand.api.EventType;
import io.errand.api.QueueSpec;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped and started again under load, for real: an embedded server of this test's
 * own (never the machine's shared one), on a fixed port and data directory. Two nodes submit
 * and run tasks throughout. While the database is down submits fail within a bound with
 * {@code store_failed}, never hang; once it is back every node reconnects by itself (pool,
 * listener, event tail), every accepted task runs to SUCCESS, and each node's listeners see
 * the events of tasks run on the other one.
 */
class RestartFaultTest {
  private static final Duration OUTAGE_SUBMIT_BOUND = Duration.ofSeconds(8);
  @TempDir
  Path dir;
  private EmbeddedPostgres pg;
  private int port;
  private Errand a;
  private Errand b;
  private final List<TaskEvent> seenByA = new CopyOnWriteArrayList<>();
  private final List<TaskEvent> seenByB = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startDatabase() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.createDirectories(dir.resolve("data"));
    pg = startPg();
  }

  private EmbeddedPostgres startPg() throws IOException {
    return EmbeddedPostgres.builder().setDataDirectory(dir.resolve("data"))
        .setCleanDataDirectory(false).setPort(port).start();
  }

  @AfterEach
  void stop() throws IOException {
    if (a != null) {
      a.shutdown(Duration.ofSeconds(2));
    }
    if (b != null) {
      b.shutdown(Duration.ofSeconds(2));
    }
    pg.close();
  }

  private Errand node(String name, List<TaskEvent> seen) {
    PostgresStore store = PostgresStore.builder(pg.getJdbcUrl("postgres", "postgres"))
        .poolSize(4).heartbeat(Duration.ofSeconds(1)).lease(Duration.ofSeconds(3)).build();
    return Errand.builder().store(store).node(name)
        .queue(QueueSpec.builder("work", Integer.class, ctx -> ctx.args()).workers(4).build())
        .listener("record", seen::add).shutdownGrace(Duration.ofSeconds(2)).build();
  }

  @Test
  void aRestartedDatabaseLosesNoAcceptedTaskAndSubmitsFailFastMeanwhile() throws Exception {
    a = node("node-a", seenByA);
    b = node("node-b", seenByB);
    Set<Long> accepted = ConcurrentHashMap.newKeySet();
    List<Long> failedAfterMillis = new CopyOnWriteArrayList<>();
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean submitting = new AtomicBoolean(true);
    AtomicLong n = new AtomicLong();
    Thread submitter = Thread.ofPlatform().name("submitter").start(() -> {
      while (submitting.get()) {
        Errand node = n.incrementAndGet() % 2 == 0 ? a : b;
        long began = System.nanoTime();
        try {
          accepted.add(node.submit("work", (int) n.get()));
        } catch (ErrandException e) {
          failedAfterMillis.add((System.nanoTime() - began) / 1_000_000);
          failures.add(e.code() + ": " + e.getMessage());
        }
      }
    });
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 200);

      pg.close(); // a fast shutdown: every connection is cut
      await().atMost(Duration.ofSeconds(60)).until(() -> failures.size() >= 3);
      int acceptedWhileDown = accepted.size();
      pg = startPg();
      await().atMost(Duration.ofSeconds(90)).until(() -> accepted.size() >= acceptedWhileDown + 200);
    } finally {
      submitting.set(false);
      submitter.join();
    }

    assertThat(failures).allSatisfy(f -> assertThat(f).startsWith("store_failed: "));
    assertThat(failedAfterMillis).as("each submit in the outage failed within %s",
        OUTAGE_SUBMIT_BOUND).allMatch(ms -> ms < OUTAGE_SUBMIT_BOUND.toMillis());
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(accepted)
        .allMatch(id -> a.get(id).map(TaskInfo::status).orElse(null) == TaskStatus.SUCCESS));
    long last = accepted.stream().mapToLong(Long::longValue).max().orElseThrow();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      for (List<TaskEvent> seen : List.of(seenByA, seenByB)) {
        assertThat(seen).anyMatch(e -> e.taskId() == last && e.type() == EventType.SUCCEEDED);
      }
    });
  }
}
