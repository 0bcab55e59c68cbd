package io.errand.sqlite;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link ScheduleKillTest}: an Errand on a SQLite file whose schedules (made
 * by the test) submit to queue {@code ticks}. It runs until it is killed. Argument: the file.
 */
public final class ScheduleChild {
  private ScheduleChild() {}

  /** Opens the file, says {@code ready} on stdout, and waits to be killed. */
  public static void main(String[] args) throws InterruptedException {
    QueueSpec<String, String> ticks =
        QueueSpec.builder("ticks", String.class, ctx -> ctx.args()).workers(2).build();
    Errand errand = Errand.builder().store(SqliteStore.at(Path.of(args[0]))).queue(ticks).build();
    System.out.println("ready " + errand);
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
