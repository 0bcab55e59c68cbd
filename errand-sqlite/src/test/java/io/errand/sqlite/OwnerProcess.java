package io.errand.sqlite;

import static io.errand.spi.contract.NewTasks.task;

import io.errand.spi.StoreContext;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.RecordingSignals;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;

/**
 * A separate process owning a store, for {@link OtherProcessTest}. {@code hold <file>}: opens
 * the store, prints {@code ready}, and keeps it until its stdin closes. {@code insert <file>}:
 * inserts tasks from 8 threads forever, printing {@code acked <id>} after each insert returned;
 * the test kills it with SIGKILL.
 */
public final class OwnerProcess {
  private OwnerProcess() {}

  public static void main(String[] args) throws Exception {
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
              long id = store.insert(task("crash").args(i).createdAt(InstantSource.system()
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
}
