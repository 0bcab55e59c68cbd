package io.errand.postgres;

import io.errand.spi.SignalQueue;
import io.errand.spi.StoreSignals;
import io.errand.spi.TaskRecord;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * Routes the store's signals: to this process's engine after the commit that caused them, and
 * to other nodes with {@code NOTIFY}, sent by the node's {@link Notifier} after that commit
 * (never if it rolls back), not in the writing transaction: a notifying commit holds
 * PostgreSQL's one notification lock through its WAL flush (docs/postgres.md 4.1). Only a
 * caller's own transaction notifies inside it ({@link #workAtCallersCommit}): nothing of
 * this node runs after that commit.
 *
 * <p>Two channels per schema: {@code <schema>_work} carries "{@code <origin> <queue>}" when a task
 * of the queue becomes due (each node raises {@code workAvailable(queue)}, except the origin,
 * which did already; a negative origin says that every task announced was inserted ready, so no
 * due marks need refreshing); {@code <schema>_cancel} carries "{@code <owner> <id>}" when a cancel
 * is requested for a task running on another node (only the owner raises
 * {@code cancelRequested(id)}). {@code origin} and {@code owner} are node ids of the
 * {@code nodes} table.
 *
 * <p>{@code added} precedes any claim of the task in this process: it is registered before the
 * commit, and raised once, by whichever comes first after it: the inserting thread or a claim
 * of the task here ({@link #claimed}).
 */
final class Signalling implements AutoCloseable {
  final String workChannel;
  final String cancelChannel;
  /** The channel the listener sends itself a probe on, to learn that notifications arrive. */
  final String probeChannel;
  /** The channel the event log's triggers notify on: the event tails read ({@link EventTail}). */
  final String eventsChannel;
  private volatile Runnable eventsLogged = () -> { };
  /** Given the log's last number by the sweep: wakes the tail if it is behind it. */
  private volatile LongConsumer eventsBehind = n -> { };
  /** Whether the listener's last probe came back (else the sweep wakes the event tail too). */
  private volatile boolean hearing = true;
  private final StoreSignals signals;
  private final long self;
  private final SignalQueue dispatcher;
  private final Map<Long, Runnable> unannounced = new ConcurrentHashMap<>();
  /** The queues this store was asked about: those to wake after missed notifications. */
  private final Set<String> queues = ConcurrentHashMap.newKeySet();
  private final DueMarks marks;
  private final Notifier notifier;

  Signalling(String schema, StoreSignals signals, long self, DueMarks marks, Notifier notifier) {
    this.workChannel = schema + "_work";
    this.cancelChannel = schema + "_cancel";
    this.probeChannel = schema + "_probe";
    this.eventsChannel = schema + "_events";
    this.signals = signals;
    this.self = self;
    this.marks = marks;
    this.notifier = notifier;
    this.dispatcher = new SignalQueue("errand-postgres-signals-" + self);
  }

  /** This store's node id. */
  long self() {
    return self;
  }

  /** Remembers {@code queue} as one the engine here works on. */
  void seen(String queue) {
    queues.add(queue);
  }

  /** The queues the engine here works on, as far as this store has seen. */
  String[] queues() {
    return queues.toArray(String[]::new);
  }

  /** Task {@code id} was inserted in {@code tx}: announce it once committed. */
  void added(Tx tx, long id, String queue, String key, Instant createdAt) {
    tx.insertedTasks(); // its ADDED event is announced by this node's tail after the commit
    unannounced.put(id, () -> signals.added(id, queue, key, createdAt));
    tx.onRollback(() -> unannounced.remove(id));
    tx.afterCommit(() -> announce(id));
  }

  /** Task {@code id} was claimed here: its {@code added} comes first, if it has not yet. */
  void claimed(long id) {
    if (!unannounced.isEmpty()) {
      announce(id);
    }
  }

  private void announce(long id) {
    Runnable r = unannounced.remove(id);
    if (r != null) {
      r.run();
    }
  }

  /**
   * A task of {@code queue} became due in {@code tx}: wake the nodes once committed.
   *
   * @throws SQLException never now (the notice is sent after the commit); kept so that callers
   *     written when it ran a statement compile unchanged
   */
  void work(Tx tx, String queue) throws SQLException {
    work(tx, queue, true);
  }

  /**
   * Tasks of {@code queue} became due in {@code tx}, one of them {@code delayed} or all
   * inserted ready: wake the nodes once committed (see {@link #workNotice} for the two forms).
   */
  void work(Tx tx, String queue, boolean delayed) {
    InsertStatement.Notice notice = workNotice(delayed);
    tx.afterCommit(() -> notifier.send(notice.channel(), notice.origin() + " " + queue));
    announced(tx, queue, delayed);
  }

  /**
   * What a statement that notifies other nodes of due work says. Unless a task it announces is
   * {@code delayed}, the origin is written negative: every task it announces was inserted
   * ready, so the receivers' due marks still hold ({@link #received}). A node that does not
   * know this form reads a negative origin as another node's, and does what it always did.
   */
  InsertStatement.Notice workNotice(boolean delayed) {
    return new InsertStatement.Notice(workChannel, Long.toString(delayed ? self : -self));
  }

  /**
   * A task of {@code queue} became due in {@code tx}, whose statement notified the other nodes
   * already ({@link #workNotice}): wake this node once committed. Unless one of those tasks is
   * {@code delayed}, they were inserted ready: what {@link DueMarks} knows of the queue's
   * delayed tasks still holds, and claims need not mark first.
   */
  void announced(Tx tx, String queue, boolean delayed) {
    tx.afterCommit(() -> {
      if (delayed) {
        marks.changed(queue);
      }
      signals.workAvailable(queue);
    });
  }

  /**
   * A task of {@code queue} became due in {@code tx}, the caller's transaction: wake every node,
   * this one too (origin 0), when the caller commits. Nothing is raised here: this node does not
   * learn of that commit but through the notification.
   */
  void workAtCallersCommit(Tx tx, String queue) throws SQLException {
    notify(tx, workChannel, "0 " + queue);
  }

  /** A cancel was requested in {@code tx} for task {@code id}, running on node {@code owner}. */
  void cancel(Tx tx, long id, long owner) throws SQLException {
    if (owner == self) {
      tx.afterCommit(() -> dispatcher.raise(() -> signals.cancelRequested(id)));
    } else {
      tx.afterCommit(() -> notifier.send(cancelChannel, owner + " " + id));
    }
  }

  /** The store ended {@code record} by itself (it could not run it, or rescued it cancelled). */
  void ended(TaskRecord record) {
    dispatcher.raise(() -> signals.ended(record));
  }

  /**
   * What to run when events were logged ({@code wake}: wakes the event tail) and when the
   * sweep read the log's last number ({@code behind}).
   */
  void onEventsLogged(Runnable wake, LongConsumer behind) {
    this.eventsLogged = wake;
    this.eventsBehind = behind;
  }

  /** The listener's probe came back ({@code true}) or not. */
  void hearing(boolean hearing) {
    this.hearing = hearing;
  }

  /** A notification from the listener. */
  void received(String channel, String payload) {
    if (channel.equals(eventsChannel)) {
      // "<node>": that node's tail saw events numbered; this node's own notice tells it nothing
      // (its tail was woken at the commit). Empty: a trigger of schema version 7 to 11.
      if (!payload.equals(Long.toString(self))) {
        eventsLogged.run();
      }
      return;
    }
    int space = payload.indexOf(' ');
    if (space < 0) {
      return;
    }
    long node;
    try {
      node = Long.parseLong(payload.substring(0, space));
    } catch (NumberFormatException e) {
      return;
    }
    String rest = payload.substring(space + 1);
    boolean readyOnly = node < 0; // workNotice(false): nothing delayed was announced
    if (readyOnly) {
      node = -node;
    }
    if (channel.equals(workChannel) && node == 0) {
      // A caller's own transaction committed (transactional enqueue): its tasks' ADDED events
      // are announced by no node's tail, so every tail reads now.
      eventsLogged.run();
    }
    if (channel.equals(workChannel) && node != self) {
      if (!readyOnly) {
        marks.changed(rest);
      }
      // Raised on the listener's thread, not queued for the dispatcher: a wake-up of a parked
      // worker runs no user code and never blocks, and one thread hop less is pickup latency.
      signals.workAvailable(rest);
    } else if (channel.equals(cancelChannel) && node == self) {
      long id = Long.parseLong(rest);
      dispatcher.raise(() -> signals.cancelRequested(id));
    }
  }

  /**
   * Notifications may have been missed (the listener lost its connection): wake every known
   * queue, and repeat the cancel requests of {@code cancelled}, tasks running here.
   */
  void missed(Iterable<Long> cancelled) {
    eventsLogged.run();
    marks.changedAll();
    for (String q : queues) {
      dispatcher.raise(() -> signals.workAvailable(q));
    }
    for (long id : cancelled) {
      dispatcher.raise(() -> signals.cancelRequested(id));
    }
  }

  /**
   * The sweep found due work in {@code queues} and cancel requests for {@code cancelled},
   * tasks running here: raised as if notified (they may have been missed); {@code lastEvent}
   * is the event log's last number taken, which wakes the tail if it is behind.
   */
  void swept(List<String> due, List<Long> cancelled, long lastEvent) {
    if (!hearing) {
      eventsLogged.run();
    } else {
      eventsBehind.accept(lastEvent);
    }
    for (String q : due) {
      marks.changed(q);
      dispatcher.raise(() -> signals.workAvailable(q));
    }
    for (long id : cancelled) {
      dispatcher.raise(() -> signals.cancelRequested(id));
    }
  }

  private static void notify(Tx tx, String channel, String payload) throws SQLException {
    try (PreparedStatement ps = tx.prepare("SELECT pg_notify(?, ?)")) {
      ps.setString(1, channel);
      ps.setString(2, payload);
      ps.execute();
    }
  }

  @Override
  public void close() {
    dispatcher.close();
  }
}
