package io.errand.postgres;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link ScheduleKillTest}: an Errand node on a PostgreSQL schema whose
 * schedules (made by the test) submit to queue {@code ticks}. It runs until it is killed.
 * Arguments: JDBC URL, schema, node name.
 */
public final class ScheduleChild {
  private ScheduleChild() {}

  /** Starts the node, says {@code ready} on stdout, and waits to be killed. */
  public static void main(String[] args) throws InterruptedException {
    PostgresStore store = PostgresStore.builder(args[0]).schema(args[1]).poolSize(4)
        .heartbeat(Duration.ofSeconds(1)).lease(Duration.ofSeconds(3)).build();
    QueueSpec<String, String> ticks =
        QueueSpec.builder("ticks", String.class, ctx -> ctx.args()).workers(2).build();
    Errand errand = Errand.builder().store(store)
        .node(args[2]).queue(ticks).build();
    System.out.println("ready " + errand);
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
