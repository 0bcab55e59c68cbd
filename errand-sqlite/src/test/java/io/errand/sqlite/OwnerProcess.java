package io.errand.sqlite;

import static io.errand.spi.contract.NewTasks.task;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.spi.StoreContext;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.RecordingSignals;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A separate process owning a store, for {@link OtherProcessTest}. {@code hold <file>}: opens
 * the store, prints {@code ready}, and keeps it until its stdin closes. {@code insert <file>}:
 * inserts tasks from 8 threads forever, printing {@code acked <id>} after each insert returned;
 * the test kills it with SIGKILL. {@code engine <file>}: an engine with one worker on queue
 * {@code slow}, whose handler never returns; submits 5 tasks, printing {@code submitted <id>},
 * and {@code started <id> <attempt>} when one starts; the test kills it with SIGKILL.
 */
public final class OwnerProcess {
  private OwnerProcess() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("engine")) {
      engine(Path.of(args[1]));
      return;
    }
    SqliteStore store = SqliteStore.at(Path.of(args[1]));
    store.open(new StoreContext(InstantSource.system(), new RecordingSignals(),
        new JsonTestCodec(Map.of()), "child"));
    PrintStream out = System.out;
    switch (args[0]) {
      case "hold" -> {
        out.println("ready");
        out.flush();
        while (System.in.read() >= 0) {
          // hold the store until the parent closes our stdin
        }
        store.close();
      }
      case "insert" -> {
        for (int t = 0; t < 8; t++) {
          Thread.ofPlatform().start(() -> {
            for (int i = 0; ; i++) {
              long id = store.tasks().insert(task("crash").args(i).createdAt(InstantSource.system()
                  .instant()).build()).id();
              synchronized (out) {
                out.println("acked " + id);
                out.flush();
              }
            }
          });
        }
        Thread.currentThread().join(); // until killed
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static void engine(Path file) throws InterruptedException {
    PrintStream out = System.out;
    Errand errand = Errand.builder().store(SqliteStore.at(file))
        .queue(QueueSpec.builder("slow", Integer.class, ctx -> {
          synchronized (out) {
            out.println("started " + ctx.id() + " " + ctx.attempt());
            out.flush();
          }
          new CountDownLatch(1).await(); // runs until the process dies
          return 0;
        }).workers(1).build())
        .build();
    for (int i = 0; i < 5; i++) {
      long id = errand.submit("slow", i);
      synchronized (out) {
        out.println("submitted " + id);
        out.flush();
      }
    }
    Thread.currentThread().join(); // until killed
  }
}
