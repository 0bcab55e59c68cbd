package io.errand.postgres;

import io.errand.api.Page;
import io.errand.api.TaskError;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.jdbc.EncodedEnd;
import io.errand.jdbc.Paging;
import io.errand.jdbc.Payloads;
import io.errand.jdbc.StoredKeyRow;
import io.errand.jdbc.StoredTask;
import io.errand.jdbc.UnreadableArgs;
import io.errand.spi.Change;
import io.errand.spi.Claim;
import io.errand.spi.EndAndNext;
import io.errand.spi.GroupInserted;
import io.errand.spi.GroupKind;
import io.errand.spi.NewTask;
import io.errand.spi.Outcome;
import io.errand.spi.PayloadLimit;
import io.errand.spi.StoreContext;
import io.errand.spi.StoredErrors;
import io.errand.spi.StoredKey;
import io.errand.spi.TaskRecord;
import io.errand.spi.Transition;
import java.sql.Connection;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open {@link PostgresStore}: its connections, node row, listener, heartbeat and the parts
 * that run its statements. Made by {@link #open}, which undoes what it did if a step fails.
 */
final class Opened {
  private static final Logger log = LoggerFactory.getLogger(Opened.class);

  final Database db;
  final Payloads payloads;
  final Signalling signalling;
  /** Sends this node's notifications after the commits that cause them. */
  private final Notifier notifier;
  final Inserts inserts;
  final Attempts attempts;
  final Changes changes;
  final Reads reads;
  private final Nodes nodes;
  private final PostgresStore.Builder config;
  final InstantSource clock;
  private final String nodeName;
  final JoinedInserts joined;
  /** Set by {@link #open} once the node is registered; writes this node's submits. */
  SubmitWriter writer;
  /** Set by {@link #open} once the node is registered; ends this node's attempts. */
  private Completer completer;
  private Listener listener;
  private Sweeper sweeper;
  private Heartbeat heartbeat;
  /** The event log's reader and writer ({@link PostgresCluster}). */
  EventTail tail;
  EventAppender appender;

  private Opened(PostgresStore.Builder config, StoreContext context, Database db, long self) {
    String schema = config.schema;
    this.config = config;
    this.db = db;
    this.clock = context.clock();
    this.nodeName = context.node();
    this.payloads = new Payloads(new PayloadLimit(context.codec(), config.maxPayloadBytes,
        "PostgresStore maxPayloadBytes"));
    DueMarks marks = new DueMarks();
    this.notifier = new Notifier(db, "errand-notifier-" + schema + "-" + self);
    this.signalling = new Signalling(schema, context.signals(), self, marks, notifier);
    WaitingCounts counts = new WaitingCounts(schema);
    this.inserts = new Inserts(schema, counts);
    this.joined = new JoinedInserts(inserts, signalling, db);
    this.attempts = new Attempts(schema, signalling, counts, clock, marks);
    this.changes = new Changes(schema, signalling, counts);
    this.reads = new Reads(schema);
    this.nodes = new Nodes(schema, counts);
  }

  static Opened open(PostgresStore.Builder config, StoreContext context) {
    String poolName = "errand-postgres-" + config.schema;
    Database db = config.jdbcUrl != null
        ? Database.pool(config.jdbcUrl, config.user, config.password, config.poolSize, poolName)
        : Database.given(config.dataSource);
    Opened o = null;
    try {
      db.transaction(tx -> {
        Schema.migrate(tx, config.schema, db.where);
        return null;
      });
      Nodes nodes = new Nodes(config.schema, new WaitingCounts(config.schema));
      long self = db.autocommit(tx -> nodes.register(tx, context.node(), config.lease));
      o = new Opened(config, context, db, self);
      Opened opened = o;
      o.tail = new EventTail(db, config.schema, self, context.signals()::event,
          config.eventRetention, "errand-events-" + config.schema + "-" + self);
      o.signalling.onEventsLogged(o.tail::wake, o.tail::behind);
      // This node's commits that wrote tasks are announced by its tail (EventTail#announce).
      db.onTasksWritten(o.tail::announce);
      o.appender = new EventAppender(db, config.schema, o.tail::announce,
          "errand-event-appender-" + config.schema + "-" + self);
      o.sweeper = new Sweeper(db, o.signalling, context.clock(), config.schema, config.sweep,
          PostgresStore.FALLBACK_SWEEP, "errand-sweep-" + config.schema + "-" + self,
          config.listenUrl == null);
      o.listener = new Listener(db, o.signalling, "errand-listener-" + config.schema + "-" + self,
          config.heartbeat, () -> db.autocommit(tx -> opened.reads.cancelRequested(tx, self)),
          config.listenUrl, o.sweeper);
      o.writer = new SubmitWriter(db, o.inserts, o.signalling,
          "errand-submits-" + config.schema + "-" + self);
      o.completer = new Completer(db, new Ends(config.schema), o.attempts,
          "errand-ends-" + config.schema + "-" + self);
      o.rescue();
      o.heartbeat = new Heartbeat("errand-heartbeat-" + config.schema + "-" + self,
          config.heartbeat, opened::beatAndRescue);
      return o;
    } catch (RuntimeException e) {
      if (o != null) {
        o.close(true);
      } else {
        db.close();
      }
      throw e;
    }
  }

  /**
   * A heartbeat round: records that this node lives and rescues the tasks of dead nodes, in
   * one transaction (an idle node's cost is counted in transactions: docs/postgres.md 3.6).
   */
  private void beatAndRescue() {
    long self = signalling.self();
    Instant now = clock.instant();
    boolean[] alive = new boolean[1];
    Nodes.Rescued r = db.transaction(tx -> {
      alive[0] = nodes.beat(tx, self, nodeName, config.lease);
      return rescueIn(tx, now);
    });
    if (!alive[0]) {
      log.warn("node {} ({}) was presumed dead (no heartbeat for {}): its running tasks were "
          + "given to other nodes, and its workers' late changes to them will be refused",
          self, nodeName, config.lease);
    }
    raise(r);
  }

  private Nodes.Rescued rescueIn(Tx tx, Instant now) throws java.sql.SQLException {
    Nodes.Rescued found = nodes.rescue(tx, signalling.self(), now);
    if (found.requeued() + found.cancelled().size() == 0) {
      tx.wroteNoEvents(); // a heartbeat's rescue that found nothing: nothing to announce
    }
    for (String q : found.queues()) {
      signalling.work(tx, q);
    }
    return found;
  }

  /** Rescues the tasks of dead nodes and raises what follows from it. */
  private void rescue() {
    Instant now = clock.instant();
    raise(db.transaction(tx -> rescueIn(tx, now)));
  }

  private void raise(Nodes.Rescued r) {
    if (r.requeued() + r.cancelled().size() > 0) {
      log.info("rescued {} task(s) of nodes silent for longer than their lease: {} due again "
          + "now, {} cancelled as requested", r.requeued() + r.cancelled().size(),
          r.requeued(), r.cancelled().size());
    }
    for (StoredTask row : r.cancelled()) {
      signalling.ended(record(row));
    }
  }

  /** The completer of this node's ends (for tests). */
  Completer completer() {
    return completer;
  }

  /** Whether notifications reach this node (the listener's last probe came back). */
  boolean hearing() {
    return listener.hearing();
  }

  /** The sweep interval in force now. */
  java.time.Duration sweepInterval() {
    return sweeper.interval();
  }

  TaskRecord record(StoredTask row) {
    return row == null ? null : row.toRecord(payloads.codec());
  }

  /**
   * The record of {@code row}, a task that was {@code from} before the change that answered it;
   * checks that the change was a move of the transition table.
   */
  TaskRecord changed(TaskStatus from, StoredTask row) {
    return Transition.checkAfter(from, record(row));
  }

  /**
   * Runs a claim of {@code queue}: in autocommit (one statement, or a marking and a statement
   * that are right alone), or, for a queue with a concurrency limit, in a transaction, whose
   * lock on the queue's control row lasts until the claim commits.
   */
  <T> T claiming(String queue, Database.Work<T> claim) {
    return attempts.limitOf(queue) == null && attempts.flowOf(queue) == null
        ? db.autocommit(claim) : db.transaction(claim);
  }

  /**
   * The claim of {@code row}, or, if its arguments cannot be read, of the next one claimed
   * ({@link UnreadableArgs}). Each claimed task is noted as this node's first.
   */
  Claim runnable(StoredTask row, String queue, String node, Instant now) {
    return UnreadableArgs.runnable(claimed(row), payloads.codec(),
        () -> claimed(claiming(queue, tx -> attempts.claim(tx, queue, node, now))),
        (claimed, error, message) -> failUnreadable(claimed, error, message, now), now);
  }

  /**
   * Claims up to {@code max} tasks in one statement; those whose arguments cannot be read are
   * failed and left out ({@link UnreadableArgs}), so fewer may come back.
   */
  List<TaskRecord> claim(String queue, String node, Instant now, int max) {
    List<StoredTask> rows = claiming(queue, tx -> attempts.claim(tx, queue, node, now, max));
    List<TaskRecord> runnable = new ArrayList<>(rows.size());
    for (StoredTask row : rows) {
      if (UnreadableArgs.runnable(claimed(row), payloads.codec(), () -> null,
          (claimed, error, message) -> failUnreadable(claimed, error, message, now), now)
          instanceof Claim.Claimed(TaskRecord rec)) {
        runnable.add(rec);
      }
    }
    return runnable;
  }

  private StoredTask claimed(StoredTask row) {
    if (row != null) {
      signalling.claimed(row.id());
    }
    return row;
  }

  /** Ends a claimed task whose arguments cannot be read FAILURE, and raises its end. */
  private void failUnreadable(StoredTask row, TaskError error, String message, Instant now) {
    String encoded = StoredErrors.encode(error);
    StoredTask failed = db.autocommit(tx -> attempts.fail(tx, row.id(), row.attempt(), encoded,
        message, now));
    if (failed != null) {
      signalling.ended(changed(TaskStatus.RUNNING, failed));
    }
  }

  GroupInserted insertGroup(List<NewTask> tasks, GroupKind kind) {
    List<String> args = payloads.groupArgs(tasks);
    long[] ids = db.transaction(tx -> {
      long[] out = inserts.insertGroup(tx, tasks, args, kind);
      Set<String> due = new LinkedHashSet<>();
      for (int i = 0; i < tasks.size(); i++) {
        NewTask t = tasks.get(i);
        signalling.added(tx, out[i + 1], t.queue(), null, t.createdAt());
        if (kind != GroupKind.CHAIN || i == 0) {
          due.add(t.queue());
        }
      }
      for (String q : due) {
        signalling.work(tx, q);
      }
      return out;
    });
    return inserted(ids);
  }

  /** Inserts a group in the caller's transaction on {@code connection}. */
  GroupInserted insertGroup(Connection connection, List<NewTask> tasks, GroupKind kind) {
    List<String> args = payloads.groupArgs(tasks);
    return inserted(joined.insertGroup(connection, tasks, args, kind));
  }

  private static GroupInserted inserted(long[] ids) {
    List<Long> taskIds = new ArrayList<>(ids.length - 1);
    for (int i = 1; i < ids.length; i++) {
      taskIds.add(ids[i]);
    }
    return new GroupInserted(ids[0], taskIds);
  }

  Page<TaskRecord> list(TaskQuery query) {
    List<StoredTask> rows = db.autocommit(tx -> reads.list(tx, query));
    return Paging.page(rows, query.limit(), payloads.codec());
  }

  /**
   * Ends the attempt and claims the next task in one transaction, shared with the other workers
   * of this node that end theirs at the same time ({@link Completer}).
   */
  EndAndNext finishAndClaim(long id, int attempt, Outcome outcome, Instant at, String queue,
      String node) {
    signalling.seen(queue);
    EncodedEnd end = EncodedEnd.of(id, attempt, outcome, at, payloads.limit());
    StoredTask[] rows = completer.finishAndClaim(id, attempt, end, at, queue, node);
    return new EndAndNext(Change.ofNullable(changed(TaskStatus.RUNNING, rows[0])),
        runnable(rows[1], queue, node, at));
  }

  void release(long id, Object previousResult, Instant now) {
    String previous = payloads.previousResult(id, previousResult);
    db.transaction(tx -> {
      changes.release(tx, id, previous, now);
      return null;
    });
  }

  void saveKey(StoredKey key) {
    String args = payloads.keyArgs(key);
    db.autocommit(tx -> {
      changes.saveKey(tx, key.supervisor(), key.key(), args, key.paused());
      return null;
    });
  }

  List<StoredKey> keys(String supervisor) {
    return StoredKeyRow.toKeys(supervisor, db.autocommit(tx -> reads.keys(tx, supervisor)),
        payloads.codec());
  }

  /**
   * Stops the threads and closes the connections; with {@code goodbye}, first removes this
   * node's row so that its tasks, if any are left running, are rescued at once.
   */
  void close(boolean goodbye) {
    if (writer != null) {
      writer.close();
    }
    if (completer != null) {
      completer.close();
    }
    if (heartbeat != null) {
      heartbeat.close();
    }
    if (listener != null) {
      listener.close();
    }
    if (sweeper != null) {
      sweeper.close();
    }
    if (appender != null) {
      appender.close();
    }
    if (tail != null) {
      tail.close();
    }
    if (goodbye) {
      try {
        db.autocommit(tx -> {
          nodes.unregister(tx, signalling.self());
          return null;
        });
      } catch (RuntimeException e) {
        log.warn("could not remove node {} from the nodes table: {}", signalling.self(),
            e.getMessage());
      }
    }
    notifier.close(); // sends what the last commits asked for
    signalling.close();
    db.close();
  }
}
