package io.errand.postgres;

import io.errand.api.InvalidTaskException;
import io.errand.api.QueueFullException;
import io.errand.spi.GroupKind;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Inserts of tasks and groups, many rows per statement ({@link InsertStatement}), in the
 * caller's transaction ({@link Tx}). No lock is taken: nothing here serializes submits across
 * nodes.
 *
 * <p><b>Keys.</b> A partial unique index allows one live (WAITING or RUNNING) task per queue
 * and key; the insert says {@code ON CONFLICT DO NOTHING}, so of concurrent keyed inserts on any
 * nodes one creates the task and the others wait for its commit and answer its id. Two tasks of
 * one batch with the same queue and key are merged: the second answers the first's answer (or,
 * with a conflict mode that changes the holder, changes it). A key with a period, finished
 * states or such a mode is checked under a lock of that key alone ({@link UniqueKeys}).
 *
 * <p><b>Capacity.</b> A batch reads the count of WAITING tasks of its queues
 * ({@link WaitingCounts}, a few rows whatever the backlog) without a lock, refuses each task
 * that would pass its queue's capacity, counting the tasks of the batch before it, and adds what
 * it inserted to the count in its transaction. Exact for one node's submits (one
 * {@link SubmitWriter} writes them, one batch at a time); across nodes a batch does not see the
 * batches other nodes have in flight, so a queue may get up to (nodes − 1) × their batch size
 * more WAITING tasks than its capacity: see docs/postgres.md, "Capacity without a lock".
 *
 * <p><b>Ids.</b> Numbered ids come from a sequence; a number already taken by a given id is
 * skipped (the row is inserted again with the next number), so numbered inserts never fail on
 * given ones.
 */
final class Inserts {
  private final String findLive;
  private final String counts;
  private final String link;
  private final String nextGroup;
  private final String idTaken;
  private final InsertStatement statement;
  private final PlainSubmits plain;
  private final WaitingCounts waiting;
  private final UniqueKeys unique;

  Inserts(String schema, WaitingCounts waiting) {
    this.waiting = waiting;
    this.unique = new UniqueKeys(schema);
    this.statement = new InsertStatement(schema);
    this.plain = new PlainSubmits(schema);
    findLive = Schema.qualify(schema, "SELECT id FROM {s}.tasks WHERE queue = ? AND key = ? "
        + "AND status IN ('WAITING', 'RUNNING')");
    counts = Schema.qualify(schema, "SELECT queue, coalesce(sum(n), 0) FROM {s}.waiting "
        + "WHERE queue = ANY(?) GROUP BY queue");
    link = Schema.qualify(schema, "UPDATE {s}.tasks t SET next = u.next FROM unnest(?::bigint[],"
        + " ?::bigint[]) AS u(id, next) WHERE t.id = u.id");
    nextGroup = Schema.qualify(schema, "SELECT nextval('{s}.group_ids')");
    idTaken = Schema.qualify(schema, "SELECT 1 FROM {s}.tasks WHERE id = ?");
  }

  /** Refuses a given id that is not positive, before anything is written. */
  static void checkId(long id) {
    if (id < 0) {
      throw new InvalidTaskException("task id must be positive, was " + id);
    }
  }

  /**
   * Inserts what it can of {@code tasks} (with their encoded {@code args}): answers, per task in
   * order, its {@link Inserted} or the {@link RuntimeException} that refused it alone (queue
   * full, given id taken). A refusal never keeps the others out.
   */
  Object[] insertAll(Tx tx, List<NewTask> tasks, List<String> args) throws SQLException {
    return insertAll(tx, tasks, args, null).answers();
  }

  /**
   * What {@link #insertAll(Tx, List, List, InsertStatement.Notice)} did.
   *
   * @param answers  per task in order, its {@link Inserted} or the exception that refused it
   * @param notified the queues the statement notified as {@code notice} said (none without one)
   */
  record Written(Object[] answers, Set<String> notified) {}

  /**
   * {@link #insertAll(Tx, List, List)}, the rows inserted, counted and, if {@code notice} is not
   * null, their queues notified with one statement; a row inserted again after a conflict is
   * counted on its own, and its queue is left out of {@code notified} unless the statement
   * notified it.
   */
  Written insertAll(Tx tx, List<NewTask> tasks, List<String> args, InsertStatement.Notice notice)
      throws SQLException {
    int n = tasks.size();
    Object[] out = new Object[n];
    int[] sameAs = new int[n];
    Map<List<String>, Integer> keyed = new HashMap<>();
    Set<Long> given = new HashSet<>();
    unique.lock(tx, tasks);
    for (int k = 0; k < n; k++) {
      NewTask t = tasks.get(k);
      sameAs[k] = -1;
      if (t.key() != null) {
        Integer first = keyed.putIfAbsent(List.of(t.queue(), t.key()), k);
        if (first != null) {
          sameAs[k] = first;
          continue;
        }
        if (t.hasRichUniqueness()) {
          out[k] = unique.resolve(tx, t, args.get(k));
          if (out[k] != null) {
            continue;
          }
        } else {
          Long live = live(tx, t.queue(), t.key());
          if (live != null) {
            out[k] = new Inserted.AlreadyLive(live);
            continue;
          }
        }
      }
      if (t.id() > 0 && !given.add(t.id())) {
        out[k] = idIsTaken(t.id());
      }
    }
    Set<String> queues = new HashSet<>();
    for (int k = 0; k < n; k++) {
      if (out[k] == null && sameAs[k] < 0) {
        queues.add(tasks.get(k).queue());
      }
    }
    Map<String, Long> count = counts(tx, queues);
    List<InsertStatement.Item> items = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      NewTask t = tasks.get(k);
      if (out[k] != null || sameAs[k] >= 0) {
        continue;
      }
      long c = count.getOrDefault(t.queue(), 0L);
      if (c + 1 > t.capacity()) {
        out[k] = new QueueFullException(t.queue(), t.capacity());
        continue;
      }
      count.put(t.queue(), c + 1);
      items.add(new InsertStatement.Item(t, args.get(k), 0, false));
      at.add(k);
    }
    Long[] ids = items.isEmpty() ? new Long[0]
        : statement.insertCounted(tx.connection, items, notice);
    Set<Long> seen = new HashSet<>();
    Set<String> notified = new HashSet<>();
    Map<String, Integer> added = new TreeMap<>(); // sorted: counts change in one order
    for (int j = 0; j < ids.length; j++) {
      int k = at.get(j);
      if (ids[j] != null && notice != null) {
        notified.add(tasks.get(k).queue());
      }
      Long id = ids[j] != null && seen.add(ids[j]) ? ids[j] : null;
      if (id != null) {
        out[k] = new Inserted.Created(id); // counted by the statement
      } else {
        out[k] = again(tx, items.get(j), args.get(k));
        if (out[k] instanceof Inserted.Created) {
          added.merge(tasks.get(k).queue(), 1, Integer::sum);
        }
      }
    }
    for (Map.Entry<String, Integer> e : added.entrySet()) {
      waiting.add(tx, e.getKey(), e.getValue());
    }
    for (int k = 0; k < n; k++) {
      if (sameAs[k] >= 0) {
        Object first = out[sameAs[k]];
        NewTask t = tasks.get(k);
        if (first instanceof Inserted && t.hasRichUniqueness()) {
          // a later submit of the batch acts on the holder as if it came after: debounce, say
          Inserted i = unique.resolve(tx, t, args.get(k));
          out[k] = i != null ? i : new Inserted.AlreadyLive(((Inserted) first).id());
        } else {
          out[k] = first instanceof Inserted i ? new Inserted.AlreadyLive(i.id()) : first;
        }
      }
    }
    return new Written(out, notified);
  }

  /**
   * {@link #insertAll(Tx, List, List, InsertStatement.Notice)} for tasks that
   * {@link PlainSubmits#applies} to: the whole batch is one statement (in autocommit, one round
   * trip, its commit included). A row whose number a given id took already was not written: its
   * answer is null, and the caller writes it again with {@link #insertAll}, in a transaction of
   * its own, so that a failure then leaves nothing of it (the statement's rows are committed).
   */
  Written insertPlain(Tx tx, List<NewTask> tasks, List<String> args,
      InsertStatement.Notice notice) throws SQLException {
    PlainSubmits.Answer[] answers = plain.write(tx.connection, tasks, args, notice);
    Object[] out = new Object[tasks.size()];
    Set<String> notified = new HashSet<>();
    for (int k = 0; k < out.length; k++) {
      NewTask t = tasks.get(k);
      PlainSubmits.Answer a = answers[k];
      if (a.id() == null) {
        out[k] = new QueueFullException(t.queue(), t.capacity());
      } else if (a.inserted()) {
        out[k] = new Inserted.Created(a.id());
        if (notice != null) {
          notified.add(t.queue());
        }
      }
    }
    return new Written(out, notified);
  }

  /** The count of WAITING tasks of each of {@code queues}, as committed: one statement. */
  private Map<String, Long> counts(Tx tx, Set<String> queues) throws SQLException {
    Map<String, Long> count = new HashMap<>();
    if (queues.isEmpty()) {
      return count;
    }
    try (PreparedStatement ps = tx.prepare(counts)) {
      ps.setArray(1, tx.connection.createArrayOf("text", queues.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          count.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return count;
  }

  /**
   * The answer for an item a unique index refused: the live task of its key, the refusal of its
   * given id, or, for a numbered id a given one took or a key whose task just ended, the row
   * inserted again.
   */
  private Object again(Tx tx, InsertStatement.Item item, String args) throws SQLException {
    NewTask t = item.task();
    while (true) {
      if (t.key() != null && t.hasRichUniqueness()) {
        Inserted held = unique.resolve(tx, t, args); // a plain submit of the key came between
        if (held != null) {
          return held;
        }
      } else if (t.key() != null) {
        Long live = live(tx, t.queue(), t.key());
        if (live != null) {
          return new Inserted.AlreadyLive(live);
        }
      }
      if (t.id() > 0 && taken(tx, t.id())) {
        return idIsTaken(t.id());
      }
      Long id = statement.insert(tx.connection, List.of(item))[0];
      if (id != null) {
        return new Inserted.Created(id);
      }
    }
  }

  /**
   * Inserts a group, all or nothing, with one statement; returns the group id followed by the
   * task ids. The capacity of each queue is checked for all of its tasks of the group at once.
   *
   * @throws QueueFullException   if a queue would pass its capacity
   * @throws InvalidTaskException if a given id is taken
   */
  long[] insertGroup(Tx tx, List<NewTask> tasks, List<String> args, GroupKind kind)
      throws SQLException {
    Map<String, Integer> perQueue = new TreeMap<>(); // sorted: counts change in one order
    Map<String, Integer> capacity = new TreeMap<>();
    Set<Long> given = new HashSet<>();
    for (NewTask t : tasks) {
      checkId(t.id());
      if (t.id() > 0 && !given.add(t.id())) {
        throw idIsTaken(t.id());
      }
      perQueue.merge(t.queue(), 1, Integer::sum);
      capacity.merge(t.queue(), t.capacity(), Math::min);
    }
    Map<String, Long> count = counts(tx, perQueue.keySet());
    for (Map.Entry<String, Integer> e : perQueue.entrySet()) {
      if (count.getOrDefault(e.getKey(), 0L) + e.getValue() > capacity.get(e.getKey())) {
        throw new QueueFullException(e.getKey(), capacity.get(e.getKey()));
      }
    }
    long group;
    try (PreparedStatement ps = tx.prepare(nextGroup); ResultSet rs = ps.executeQuery()) {
      rs.next();
      group = rs.getLong(1);
    }
    List<InsertStatement.Item> items = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      boolean callback = kind.hasCallback() && i == tasks.size() - 1; // held, in no group
      items.add(new InsertStatement.Item(tasks.get(i), args.get(i), callback ? 0 : group,
          (kind == GroupKind.CHAIN && i > 0) || callback));
    }
    Long[] ids = statement.insert(tx.connection, items);
    long[] out = new long[tasks.size() + 1];
    out[0] = group;
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] != null && seen.add(ids[i])) {
        out[i + 1] = ids[i];
      } else if (again(tx, items.get(i), args.get(i)) instanceof Inserted.Created c) {
        out[i + 1] = c.id();
      } else {
        throw idIsTaken(tasks.get(i).id()); // the transaction rolls back: nothing stays
      }
    }
    if (kind == GroupKind.CHAIN && tasks.size() > 1) {
      Long[] from = new Long[tasks.size() - 1];
      Long[] to = new Long[tasks.size() - 1];
      for (int i = 0; i < from.length; i++) {
        from[i] = out[i + 1];
        to[i] = out[i + 2];
      }
      try (PreparedStatement ps = tx.prepare(link)) {
        Array a = tx.connection.createArrayOf("bigint", from);
        Array b = tx.connection.createArrayOf("bigint", to);
        ps.setArray(1, a);
        ps.setArray(2, b);
        ps.executeUpdate();
      }
    }
    if (kind.hasCallback()) {
      Long[] from = new Long[tasks.size()];
      Long[] to = new Long[tasks.size()];
      long callback = out[tasks.size()];
      for (int i = 0; i < from.length; i++) {
        from[i] = out[i + 1];
        to[i] = i == from.length - 1 ? kind.callbackMark() : callback;
      }
      try (PreparedStatement ps = tx.prepare(link)) {
        ps.setArray(1, tx.connection.createArrayOf("bigint", from));
        ps.setArray(2, tx.connection.createArrayOf("bigint", to));
        ps.executeUpdate();
      }
    }
    for (Map.Entry<String, Integer> e : perQueue.entrySet()) {
      waiting.add(tx, e.getKey(), e.getValue());
    }
    return out;
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
