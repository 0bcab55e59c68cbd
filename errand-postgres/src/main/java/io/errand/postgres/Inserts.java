package io.errand.postgres;

import io.errand.api.InvalidTaskException;
import io.errand.api.QueueFullException;
import io.errand.spi.GroupKind;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Inserts of tasks and groups, each in one transaction ({@link Tx}).
 *
 * <p><b>Keys.</b> A partial unique index allows one live (WAITING or RUNNING) task per queue
 * and key; the insert says {@code ON CONFLICT DO NOTHING}, so of concurrent keyed inserts on any
 * nodes one creates the task and the others wait for its commit and answer its id.
 *
 * <p><b>Capacity.</b> An insert takes a transaction-scoped advisory lock on its queue before it
 * reads the queue's count of WAITING tasks ({@link WaitingCounts}, a few rows whatever the
 * backlog), and holds it until its commit: inserts into one queue are serialized across all
 * nodes, so they never make more than {@code capacity} tasks wait.
 * Claims and cancels do not take the lock; they only lower the count, so at worst an insert
 * racing with them is refused while a place is being freed. Retries, requeues and rescues put
 * tasks back without checking capacity, as in every store.
 *
 * <p><b>Ids.</b> Numbered ids come from a sequence; a number already taken by a given id is
 * skipped, so numbered inserts never fail on given ones.
 */
final class Inserts {
  private final String findLive;
  private final String lockQueue;
  private final String insert;
  private final String link;
  private final String nextGroup;
  private final String idTaken;
  private final Signalling signalling;
  private final WaitingCounts counts;

  Inserts(String schema, Signalling signalling, WaitingCounts counts) {
    this.signalling = signalling;
    this.counts = counts;
    findLive = Schema.qualify(schema, "SELECT id FROM {s}.tasks WHERE queue = ? AND key = ? "
        + "AND status IN ('WAITING', 'RUNNING')");
    lockQueue = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))";
    insert = Schema.qualify(schema, "INSERT INTO {s}.tasks (id, queue, status, held, args, "
        + "created_at, run_at, key, priority, grp, ready) VALUES (coalesce(?, "
        + "nextval('{s}.task_ids')), ?, 'WAITING', ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING "
        + "RETURNING id");
    link = Schema.qualify(schema, "UPDATE {s}.tasks SET next = ? WHERE id = ?");
    nextGroup = Schema.qualify(schema, "SELECT nextval('{s}.group_ids')");
    idTaken = Schema.qualify(schema, "SELECT 1 FROM {s}.tasks WHERE id = ?");
    this.lockPrefix = "errand-queue:" + schema + ":";
  }

  private final String lockPrefix;

  Inserted insert(Tx tx, NewTask t, String args) throws SQLException {
    checkId(t.id());
    if (t.key() != null) {
      Long live = live(tx, t.queue(), t.key());
      if (live != null) {
        return new Inserted.AlreadyLive(live);
      }
    }
    checkRoom(tx, t.queue(), 1, t.capacity());
    while (true) {
      Long id = insertRow(tx, t, args, 0, false);
      if (id != null) {
        counts.add(tx, t.queue(), 1);
        signalling.added(tx, id, t.queue(), t.key(), t.createdAt());
        signalling.work(tx, t.queue());
        return new Inserted.Created(id);
      }
      if (t.key() != null) { // another node inserted the key meanwhile
        Long live = live(tx, t.queue(), t.key());
        if (live != null) {
          return new Inserted.AlreadyLive(live);
        }
      }
      if (t.id() > 0 && taken(tx, t.id())) {
        throw idIsTaken(t.id());
      }
      // a numbered id that a given one took, or a key whose task just ended: again
    }
  }

  /** Inserts a group; returns the group id followed by the task ids. */
  long[] insertGroup(Tx tx, List<NewTask> tasks, List<String> args, GroupKind kind)
      throws SQLException {
    Map<String, Integer> perQueue = new TreeMap<>(); // sorted: locks in one order, no deadlock
    Map<String, Integer> capacity = new TreeMap<>();
    for (NewTask t : tasks) {
      checkId(t.id());
      perQueue.merge(t.queue(), 1, Integer::sum);
      capacity.merge(t.queue(), t.capacity(), Math::min);
    }
    for (Map.Entry<String, Integer> e : perQueue.entrySet()) {
      checkRoom(tx, e.getKey(), e.getValue(), capacity.get(e.getKey()));
    }
    long group;
    try (PreparedStatement ps = tx.prepare(nextGroup); ResultSet rs = ps.executeQuery()) {
      rs.next();
      group = rs.getLong(1);
    }
    long[] out = new long[tasks.size() + 1];
    out[0] = group;
    Set<String> due = new LinkedHashSet<>();
    for (int i = 0; i < tasks.size(); i++) {
      NewTask t = tasks.get(i);
      boolean held = kind == GroupKind.CHAIN && i > 0;
      Long id;
      while ((id = insertRow(tx, t, args.get(i), group, held)) == null) {
        if (t.id() > 0) {
          throw idIsTaken(t.id()); // the transaction rolls back: nothing of the group stays
        }
      }
      out[i + 1] = id;
      signalling.added(tx, id, t.queue(), null, t.createdAt());
      if (!held) {
        due.add(t.queue());
      }
    }
    if (kind == GroupKind.CHAIN && tasks.size() > 1) {
      try (PreparedStatement ps = tx.prepare(link)) {
        for (int i = 1; i < out.length - 1; i++) {
          ps.setLong(1, out[i + 1]);
          ps.setLong(2, out[i]);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    for (Map.Entry<String, Integer> e : perQueue.entrySet()) { // in queue order: no deadlock
      counts.add(tx, e.getKey(), e.getValue());
    }
    for (String q : due) {
      signalling.work(tx, q);
    }
    return out;
  }

  private static void checkId(long id) {
    if (id < 0) {
      throw new InvalidTaskException("task id must be positive, was " + id);
    }
  }

  /** Refuses {@code n} more tasks if {@code capacity} would be passed; locks the queue. */
  private void checkRoom(Tx tx, String queue, int n, int capacity) throws SQLException {
    try (PreparedStatement ps = tx.prepare(lockQueue)) {
      ps.setString(1, lockPrefix + queue);
      ps.execute();
    }
    if (counts.count(tx, queue) + n > capacity) {
      throw new QueueFullException(queue, capacity);
    }
  }

  /** The new row's id, or null if a unique index refused it (id or live key taken). */
  private Long insertRow(Tx tx, NewTask t, String args, long group, boolean held)
      throws SQLException {
    try (PreparedStatement ps = tx.prepare(insert)) {
      if (t.id() > 0) {
        ps.setLong(1, t.id());
      } else {
        ps.setNull(1, Types.BIGINT);
      }
      ps.setString(2, t.queue());
      ps.setBoolean(3, held);
      ps.setString(4, args);
      ps.setObject(5, Row.timestamp(t.createdAt()));
      ps.setObject(6, Row.timestamp(t.runAt()));
      ps.setString(7, t.key());
      ps.setInt(8, t.priority());
      ps.setLong(9, group);
      ps.setBoolean(10, !t.runAt().isAfter(t.createdAt()));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  private Long live(Tx tx, String queue, String key) throws SQLException {
    try (PreparedStatement ps = tx.prepare(findLive)) {
      ps.setString(1, queue);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  private boolean taken(Tx tx, long id) throws SQLException {
    try (PreparedStatement ps = tx.prepare(idTaken)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static InvalidTaskException idIsTaken(long id) {
    return new InvalidTaskException("task id " + id + " is already used; an id generator must "
        + "return a new positive id each time");
  }
}
