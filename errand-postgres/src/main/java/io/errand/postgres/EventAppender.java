package io.errand.postgres;

import io.errand.api.TaskEvent;
import io.errand.jdbc.StoreThreads;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the event log the events a node makes outside the store's changes (a supervised
 * key's, a schedule's): queued without blocking, written by one thread, what is queued at once
 * in one statement. Each transaction takes its id before its event numbers, as the tail's fence
 * requires ({@link EventLogSchema}), and sends no {@code NOTIFY}: this node's tail tells the
 * others after the commit. A full queue, or a failing database, drops events, counted
 * and logged: these events are never worth holding up a supervisor or a schedule.
 */
final class EventAppender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventAppender.class);
  private static final int CAPACITY = 10_000;
  private static final int BATCH = 500;

  private final Database db;
  private final String insert;
  /** Run after each commit: the tail tells the other nodes ({@link EventTail#announce}). */
  private final Runnable logged;
  private final BlockingQueue<TaskEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  EventAppender(Database db, String schema, Runnable logged, String threadName) {
    this.db = db;
    this.logged = logged;
    this.insert = Schema.qualify(schema, "INSERT INTO {s}.events (type, task, queue, status, attempt, current, total, message, at, key) "
        + "SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::int[], "
        + "?::bigint[], ?::bigint[], ?::text[], ?::timestamptz[], ?::text[]) ORDER BY 1");
    this.thread = Thread.ofPlatform().name(threadName).daemon(true).start(this::loop);
  }

  /** Queues {@code event}; drops it (counted) when the queue is full. */
  void append(TaskEvent event) {
    if (!queue.offer(event)) {
      drop(1, "the queue is full");
    }
  }

  /** Events dropped so far. */
  long dropped() {
    return dropped.get();
  }

  private void loop() {
    List<TaskEvent> batch = new ArrayList<>(BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        TaskEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
      } catch (InterruptedException e) {
        continue; // close() interrupts; the loop checks closed
      }
      queue.drainTo(batch, BATCH - 1);
      try {
        db.transaction(tx -> write(tx, batch));
        logged.run();
      } catch (RuntimeException e) {
        drop(batch.size(), e.getMessage());
      }
      batch.clear();
    }
  }

  private Void write(Tx tx, List<TaskEvent> batch) throws SQLException {
    int n = batch.size();
    String[] types = new String[n];
    Long[] tasks = new Long[n];
    String[] queues = new String[n];
    String[] statuses = new String[n];
    Integer[] attempts = new Integer[n];
    Long[] currents = new Long[n];
    Long[] totals = new Long[n];
    String[] messages = new String[n];
    Timestamp[] ats = new Timestamp[n];
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      TaskEvent e = batch.get(i);
      types[i] = e.type().name();
      tasks[i] = e.taskId();
      queues[i] = e.queue();
      statuses[i] = e.status() == null ? null : e.status().name();
      attempts[i] = e.attempt();
      currents[i] = e.current();
      totals[i] = e.total();
      messages[i] = e.message();
      ats[i] = Timestamp.from(e.at());
      keys[i] = e.key();
    }
    // The transaction's id before its event numbers (the tail's fence relies on it).
    try (PreparedStatement ps = tx.prepare("SELECT pg_current_xact_id()")) {
      ps.execute();
    }
    try (PreparedStatement ps = tx.prepare(insert)) {
      var c = tx.connection;
      Array[] arrays = {c.createArrayOf("text", types), c.createArrayOf("bigint", tasks),
          c.createArrayOf("text", queues), c.createArrayOf("text", statuses),
          c.createArrayOf("integer", attempts), c.createArrayOf("bigint", currents),
          c.createArrayOf("bigint", totals), c.createArrayOf("text", messages),
          c.createArrayOf("timestamptz", ats), c.createArrayOf("text", keys)};
      for (int i = 0; i < arrays.length; i++) {
        ps.setArray(i + 1, arrays[i]);
      }
      ps.executeUpdate();
    }
    return null;
  }

  private void drop(int n, String why) {
    long total = dropped.addAndGet(n);
    if (Long.bitCount(total) == 1 || n > 1) { // 1, 2, 4, 8...: says so without flooding the log
      log.warn("{} events of supervised keys or schedules were not logged ({}); {} so far",
          n, why, total);
    }
  }

  /** Writes what is queued, then stops. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    StoreThreads.joinUninterruptibly(thread);
  }
}
