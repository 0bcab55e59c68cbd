package io.errand.sqlite;

import io.errand.jdbc.StoreThreads;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the writer's commits durable, off the writer thread. The connection always runs
 * SQLite's {@code synchronous=NORMAL}: a commit appends its frames to the write-ahead log
 * without waiting for the disk, and this thread syncs the log ({@code fdatasync}).
 *
 * <p>{@link #beforeAcknowledging} ({@link SqliteStore.Synchronous#FULL}): the writer hands each
 * batch's acknowledgement here and goes on with the next batch; this thread syncs the log once
 * for every batch committed since its last sync, then acknowledges them in commit order. That
 * is SQLite's FULL guarantee (the log is synced after each commit, before anyone is told it
 * happened) without the writer ever waiting for the disk: one sync covers many batches, and the
 * writer's next batch runs while the disk works. No caller is answered, and no engine signal
 * raised, before its change is durable (readers of the file see it a moment earlier).
 *
 * <p>{@link #within} ({@link SqliteStore.Synchronous#NORMAL}): batches are acknowledged at their
 * commit, and the log is synced at most {@code lag} after the first commit it does not cover
 * yet: one sync per {@code lag} under a steady load, none when idle. A process crash loses
 * nothing either way (the frames are in the OS's cache); the lag bounds what a crash of the
 * machine can lose, which would otherwise be up to the OS's write-back delay (30 s on Linux).
 * Such a sync's failure can only be logged: its changes were acknowledged already.
 */
final class WalSyncer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WalSyncer.class);
  private static final Object STOP = new Object();

  private final Path wal;
  private final long lagNanos; // 0: sync before acknowledging
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicBoolean syncPending = new AtomicBoolean();
  private final AtomicLong syncs = new AtomicLong();
  private final Thread thread;
  private FileChannel channel; // opened at the first sync: the log exists once a batch committed

  private WalSyncer(Path databaseFile, long lagNanos) {
    this.wal = databaseFile.resolveSibling(databaseFile.getFileName() + "-wal");
    this.lagNanos = lagNanos;
    this.thread = Thread.ofPlatform().name("errand-sqlite-sync").daemon(true)
        .start(lagNanos == 0 ? this::syncBeforeAcknowledging : this::syncWithinLag);
  }

  /** FULL: a commit is acknowledged once the log is synced. */
  static WalSyncer beforeAcknowledging(Path databaseFile) {
    return new WalSyncer(databaseFile, 0);
  }

  /** NORMAL: a commit is acknowledged at once, and synced at most {@code lag} later. */
  static WalSyncer within(Path databaseFile, Duration lag) {
    if (lag.isNegative() || lag.isZero()) {
      throw new IllegalArgumentException("lag must be positive, was " + lag);
    }
    return new WalSyncer(databaseFile, lag.toNanos());
  }

  /**
   * Called by the writer after each commit. Runs {@code ack} with null once the commit may be
   * acknowledged (at once, or after its sync), or with the failure of the sync it waited for.
   */
  void committed(Consumer<IOException> ack) {
    if (lagNanos == 0) {
      queue.add(ack);
      return;
    }
    if (syncPending.compareAndSet(false, true)) {
      queue.add(System.nanoTime());
    }
    ack.accept(null);
  }

  /** How many times the log was synced (for tests). */
  long syncs() {
    return syncs.get();
  }

  /** Whether a commit waits for a sync that has not begun (NORMAL; for tests). */
  boolean pending() {
    return syncPending.get();
  }

  @SuppressWarnings("unchecked")
  private void syncBeforeAcknowledging() {
    List<Object> batch = new ArrayList<>();
    while (true) {
      batch.add(takeUninterruptibly());
      queue.drainTo(batch);
      boolean stop = batch.remove(STOP);
      if (!batch.isEmpty()) {
        IOException failure = sync();
        for (Object ack : batch) {
          ((Consumer<IOException>) ack).accept(failure);
        }
      }
      batch.clear();
      if (stop) {
        closeChannel();
        return;
      }
    }
  }

  private void syncWithinLag() {
    while (true) {
      Object first = takeUninterruptibly();
      boolean stop = first == STOP;
      if (!stop) {
        stop = awaitStopUntil((Long) first + lagNanos);
        syncPending.set(false); // before the sync: a commit from now on asks for another
        IOException failure = sync();
        if (failure != null) {
          log.error("the SQLite store could not sync its log {} to disk ({}): changes "
              + "acknowledged since its last sync are in the file, but a crash of the machine "
              + "may lose them; it will try again after the next commit", wal, failure.toString());
        }
      }
      if (stop) {
        closeChannel();
        return;
      }
    }
  }

  /** Waits until {@code deadline} (a nanoTime); true if {@link #close} asked to stop meanwhile. */
  private boolean awaitStopUntil(long deadline) {
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        // nothing but STOP can arrive: no commit asks for a sync while one is pending
        if (queue.poll(left, TimeUnit.NANOSECONDS) == STOP) {
          return true;
        }
      } catch (InterruptedException e) {
        // only close() stops it
      }
    }
  }

  private Object takeUninterruptibly() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // only close() stops it
      }
    }
  }

  private IOException sync() {
    try {
      if (channel == null) {
        channel = FileChannel.open(wal, StandardOpenOption.READ);
      }
      channel.force(false);
      syncs.incrementAndGet();
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

  /** Syncs (and, for FULL, acknowledges) what was committed so far, then stops. */
  @Override
  public void close() {
    queue.add(STOP);
    StoreThreads.joinUninterruptibly(thread);
  }
}
