package io.errand.sqlite;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Makes committed batches durable before they are acknowledged, off the writer thread.
 *
 * <p>With {@link SqliteStore.Synchronous#FULL} the connection still runs SQLite's
 * {@code synchronous=NORMAL}: a commit appends its frames to the write-ahead log without
 * waiting for the disk. The writer then hands the batch's acknowledgement here and goes on with
 * the next batch; this thread syncs the log ({@code fdatasync}) once for every batch committed
 * since its last sync, then acknowledges them in commit order. That is SQLite's FULL guarantee
 * (the log is synced after each commit, before anyone is told it happened) without the writer
 * ever waiting for the disk: one sync covers many batches, and the writer's next batch runs
 * while the disk works.
 *
 * <p>A change is visible to readers of the file once committed, a moment before it is durable;
 * no caller is answered, and no engine signal raised, before it is durable.
 */
final class WalSyncer implements AutoCloseable {
  private static final Consumer<IOException> STOP = failure -> { };

  private final Path wal;
  private final LinkedBlockingQueue<Consumer<IOException>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private FileChannel channel; // opened at the first sync: the log exists once a batch committed

  WalSyncer(Path databaseFile) {
    this.wal = databaseFile.resolveSibling(databaseFile.getFileName() + "-wal");
    this.thread = Thread.ofPlatform().name("errand-sqlite-sync").daemon(true).start(this::loop);
  }

  /**
   * Runs {@code ack} once everything committed before this call is on disk, with null, or with
   * the sync's failure.
   */
  void afterSync(Consumer<IOException> ack) {
    queue.add(ack);
  }

  private void loop() {
    List<Consumer<IOException>> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue; // only close() stops it
      }
      queue.drainTo(batch);
      boolean stop = batch.remove(STOP);
      if (!batch.isEmpty()) {
        IOException failure = sync();
        for (Consumer<IOException> ack : batch) {
          ack.accept(failure);
        }
      }
      batch.clear();
      if (stop) {
        closeChannel();
        return;
      }
    }
  }

  private IOException sync() {
    try {
      if (channel == null) {
        channel = FileChannel.open(wal, StandardOpenOption.READ);
      }
      channel.force(false);
      return null;
    } catch (IOException e) {
      closeChannel(); // reopened by the next sync
      return e;
    }
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing was pending on it
      }
      channel = null;
    }
  }

  /** Syncs and acknowledges what was handed over so far, then stops. */
  @Override
  public void close() {
    queue.add(STOP);
    Signaller.joinUninterruptibly(thread);
  }
}
