package io.errand.postgres;

import io.errand.api.Page;
import io.errand.api.TaskError;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.spi.Change;
import io.errand.spi.Claim;
import io.errand.spi.EndAndNext;
import io.errand.spi.GroupInserted;
import io.errand.spi.GroupKind;
import io.errand.spi.Groups;
import io.errand.spi.NewTask;
import io.errand.spi.Outcome;
import io.errand.spi.PayloadLimit;
import io.errand.spi.StoreContext;
import io.errand.spi.StoredErrors;
import io.errand.spi.StoredKey;
import io.errand.spi.TaskRecord;
import io.errand.spi.Transition;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open {@link PostgresStore}: its connections, node row, listener, heartbeat and the parts
 * that run its statements. Made by {@link #open}, which undoes what it did if a step fails.
 */
final class Opened {
  private static final Logger log = LoggerFactory.getLogger(Opened.class);

  final Database db;
  final PayloadLimit payloads;
  final Signalling signalling;
  final Inserts inserts;
  final Attempts attempts;
  final Changes changes;
  final Reads reads;
  private final Nodes nodes;
  private final PostgresStore.Builder config;
  private final InstantSource clock;
  private final String nodeName;
  private Listener listener;
  private Heartbeat heartbeat;

  private Opened(PostgresStore.Builder config, StoreContext context, Database db, long self) {
    String schema = config.schema;
    this.config = config;
    this.db = db;
    this.clock = context.clock();
    this.nodeName = context.node();
    this.payloads = new PayloadLimit(context.codec(), config.maxPayloadBytes,
        "PostgresStore maxPayloadBytes");
    this.signalling = new Signalling(schema, context.signals(), self);
    WaitingCounts counts = new WaitingCounts(schema);
    this.inserts = new Inserts(schema, signalling, counts);
    this.attempts = new Attempts(schema, signalling, counts, clock);
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
      o.listener = new Listener(db, o.signalling, "errand-listener-" + config.schema + "-" + self,
          config.heartbeat, () -> db.autocommit(tx -> opened.reads.cancelRequested(tx, self)));
      o.rescue();
      o.heartbeat = new Heartbeat("errand-heartbeat-" + config.schema + "-" + self,
          config.heartbeat, opened::beat, opened::rescue);
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

  private void beat() {
    long self = signalling.self();
    if (!db.autocommit(tx -> nodes.beat(tx, self, nodeName, config.lease))) {
      log.warn("node {} ({}) was presumed dead (no heartbeat for {}): its running tasks were "
          + "given to other nodes, and its workers' late changes to them will be refused",
          self, nodeName, config.lease);
    }
  }

  /** Rescues the tasks of dead nodes and raises what follows from it. */
  private void rescue() {
    Instant now = clock.instant();
    Nodes.Rescued r = db.transaction(tx -> {
      Nodes.Rescued found = nodes.rescue(tx, signalling.self(), now);
      for (String q : found.queues()) {
        signalling.work(tx, q);
      }
      return found;
    });
    if (r.requeued() + r.cancelled().size() > 0) {
      log.info("rescued {} task(s) of nodes silent for longer than their lease: {} due again "
          + "now, {} cancelled as requested", r.requeued() + r.cancelled().size(),
          r.requeued(), r.cancelled().size());
    }
    for (Row row : r.cancelled()) {
      signalling.ended(record(row));
    }
  }

  TaskRecord record(Row row) {
    return row == null ? null : row.toRecord(payloads.codec());
  }

  /**
   * The record of {@code row}, a task that was {@code from} before the change that answered it;
   * checks that the change was a move of the transition table.
   */
  TaskRecord changed(TaskStatus from, Row row) {
    return Transition.checkAfter(from, record(row));
  }

  /** The record of claimed {@code row}, or, if it cannot run, of the next one claimed. */
  TaskRecord runnable(Row row, String queue, String node, Instant now) {
    while (row != null) {
      signalling.claimed(row.id());
      try {
        return row.toRunnableRecord(payloads.codec());
      } catch (RuntimeException unreadable) {
        failUnreadable(row, unreadable, now); // and take the next one
      }
      row = db.autocommit(tx -> attempts.claim(tx, queue, node, now));
    }
    return null;
  }

  /**
   * A claimed task whose stored arguments cannot be read (its queue's argument type changed
   * since it was submitted, say) can never run: it fails for good, its error saying why.
   */
  private void failUnreadable(Row row, RuntimeException cause, Instant now) {
    String message = "the stored arguments of task " + row.id() + " cannot be read, so it "
        + "cannot run: " + cause.getMessage();
    TaskError error = new TaskError(row.attempt(), cause.getClass().getName(), message, now);
    String encoded = StoredErrors.encode(error);
    Row failed = db.autocommit(tx -> attempts.fail(tx, row.id(), row.attempt(), encoded,
        message, now));
    log.warn("{}", message, cause);
    if (failed != null) {
      signalling.ended(changed(TaskStatus.RUNNING, failed));
    }
  }

  GroupInserted insertGroup(List<NewTask> tasks, GroupKind kind) {
    Groups.requireNoKeys(tasks);
    List<String> args = new ArrayList<>(tasks.size());
    for (NewTask t : tasks) {
      args.add(payloads.encode(t.args(), "the arguments of a task of queue '" + t.queue()
          + "'"));
    }
    long[] ids = db.transaction(tx -> inserts.insertGroup(tx, tasks, args, kind));
    List<Long> taskIds = new ArrayList<>(tasks.size());
    for (int i = 1; i < ids.length; i++) {
      taskIds.add(ids[i]);
    }
    return new GroupInserted(ids[0], taskIds);
  }

  Page<TaskRecord> list(TaskQuery query) {
    List<Row> rows = db.autocommit(tx -> reads.list(tx, query));
    List<TaskRecord> items = new ArrayList<>(Math.min(rows.size(), query.limit()));
    for (int i = 0; i < rows.size() && i < query.limit(); i++) {
      items.add(record(rows.get(i)));
    }
    boolean more = rows.size() > query.limit();
    return new Page<>(items, more ? items.get(items.size() - 1).id() : 0);
  }

  /** Ends the attempt and claims the next task in one transaction. */
  EndAndNext finishAndClaim(long id, int attempt, Outcome outcome, Instant at, String queue,
      String node) {
    signalling.seen(queue);
    Attempts.End end = Attempts.end(id, attempt, outcome, at, payloads);
    Row[] rows = db.transaction(tx -> new Row[] {attempts.finish(tx, id, attempt, end, at),
        attempts.claim(tx, queue, node, at)});
    return new EndAndNext(Change.ofNullable(changed(TaskStatus.RUNNING, rows[0])),
        Claim.ofNullable(runnable(rows[1], queue, node, at)));
  }

  void release(long id, Object previousResult, Instant now) {
    String previous = payloads.encode(previousResult, "the previous result handed to task "
        + id);
    db.transaction(tx -> {
      changes.release(tx, id, previous, now);
      return null;
    });
  }

  void saveKey(StoredKey key) {
    String args = payloads.encode(key.args(), "the arguments of key '" + key.key()
        + "' of supervisor '" + key.supervisor() + "'");
    db.autocommit(tx -> {
      changes.saveKey(tx, key.supervisor(), key.key(), args, key.paused());
      return null;
    });
  }

  List<StoredKey> keys(String supervisor) {
    List<StoredKey> keys = new ArrayList<>();
    for (Reads.KeyRow k : db.autocommit(tx -> reads.keys(tx, supervisor))) {
      keys.add(new StoredKey(supervisor, k.key(), payloads.codec().decodeArgs(supervisor,
          k.args()), k.paused()));
    }
    return keys;
  }

  /**
   * Stops the threads and closes the connections; with {@code goodbye}, first removes this
   * node's row so that its tasks, if any are left running, are rescued at once.
   */
  void close(boolean goodbye) {
    if (heartbeat != null) {
      heartbeat.close();
    }
    if (listener != null) {
      listener.close();
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
    signalling.close();
    db.close();
  }
}
