package io.errand.postgres;

import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.ScheduleStore.Applied;
import io.errand.spi.ScheduleStore.DueFire;
import io.errand.spi.ScheduleStore.FireResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Many fires in one transaction and a handful of statements ({@link PostgresSchedules#fireAll}
 * when {@link FireStatement}'s one statement could not write them), each fire with the
 * guarantee of a lone {@link PostgresSchedules#advance}: one
 * compare-and-set {@code UPDATE} over all the schedules (each row moves only if it is ACTIVE
 * and still waits for its expected occurrence), one insert of the moved ones' tasks
 * ({@link Inserts#insertAll}), the moves of refused tasks (a full queue) put back, one insert of
 * their fire records under the unique (schedule, occurrence) key with the last runs, and one
 * {@code NOTIFY} per queue. Everything commits together, or nothing does.
 */
final class ScheduleFires {
  private final String move;
  private final String putBack;
  private final String record;
  private final String recordOne;

  private final FireStatement fast;

  ScheduleFires(String schema) {
    fast = new FireStatement(schema);
    move = Schema.qualify(schema, "UPDATE {s}.schedules s SET next_due = v.next::timestamptz, "
        + "claimed_by = NULL, claimed_until = NULL FROM unnest(?::text[], ?::text[], ?::text[]) "
        + "AS v(name, expected, next) WHERE s.name = v.name AND s.state = 'ACTIVE' AND "
        + "s.next_due IS NOT DISTINCT FROM v.expected::timestamptz RETURNING s.name");
    recordOne = Schema.qualify(schema, "WITH fired AS (INSERT INTO {s}.schedule_fires "
        + "(schedule, occurrence, task, fired_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING "
        + "RETURNING 1), pruned AS (DELETE FROM {s}.schedule_fires WHERE schedule = ? AND "
        + "occurrence < ?) UPDATE {s}.schedules SET last_occurrence = ?, last_task = ?, "
        + "last_fired_at = ? WHERE name = ? AND EXISTS (SELECT 1 FROM fired)");
    putBack = Schema.qualify(schema, "UPDATE {s}.schedules SET next_due = ?::timestamptz "
        + "WHERE name = ?");
    record = Schema.qualify(schema, "WITH v AS (SELECT * FROM unnest(?::text[], ?::text[], "
        + "?::bigint[], ?::text[]) AS v(schedule, occurrence, task, fired_at)), fired AS (INSERT "
        + "INTO {s}.schedule_fires (schedule, occurrence, task, fired_at) SELECT schedule, "
        + "occurrence::timestamptz, task, fired_at::timestamptz FROM v ON CONFLICT DO NOTHING "
        + "RETURNING schedule), pruned AS (DELETE FROM {s}.schedule_fires WHERE ctid = ANY(ARRAY("
        + "SELECT o.ctid FROM v, LATERAL (SELECT ctid FROM {s}.schedule_fires WHERE schedule = "
        + "v.schedule AND occurrence < v.occurrence::timestamptz - interval '"
        + PostgresSchedules.FIRES_KEPT.toSeconds() + " seconds' ORDER BY occurrence LIMIT "
        + FireStatement.PRUNE + ") o))) UPDATE {s}.schedules s SET "
        + "last_occurrence = v.occurrence::timestamptz, last_task = v.task, last_fired_at = "
        + "v.fired_at::timestamptz FROM v WHERE s.name = v.schedule AND s.name IN (SELECT "
        + "schedule FROM fired)");
  }

  /**
   * Refuses a batch that names a schedule twice or moves one to an occurrence finer than a
   * microsecond, before anything is written.
   *
   * @throws IllegalArgumentException if a schedule appears twice
   */
  static void check(List<DueFire> fires) {
    Set<String> names = new HashSet<>();
    for (DueFire f : fires) {
      ScheduleRows.requireMicros(f.name(), f.fire().nextDue());
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("schedule '" + f.name() + "' appears twice in one "
            + "fireAll; give each schedule one fire");
      }
    }
  }

  /**
   * The one statement for {@code fires} ({@link FireStatement#apply}), on a connection in
   * autocommit: null if it wrote nothing, and {@link #apply} must write them in a transaction.
   */
  List<FireResult> applyFast(Tx tx, Opened o, List<DueFire> fires, List<String> args)
      throws SQLException {
    return fast.apply(tx, o, fires, args);
  }

  /**
   * Applies {@code fires} in {@code tx}, statement by statement, each refused task on its own;
   * {@code args} are their tasks' encoded arguments.
   */
  List<FireResult> apply(Tx tx, Opened o, List<DueFire> fires, List<String> args)
      throws SQLException {
    int n = fires.size();
    Set<String> moved = move(tx, fires);
    List<Integer> at = new ArrayList<>();
    List<NewTask> tasks = new ArrayList<>();
    List<String> taskArgs = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      if (moved.contains(fires.get(k).name())) {
        at.add(k);
        tasks.add(fires.get(k).fire().task());
        taskArgs.add(args.get(k));
      }
    }
    FireResult[] out = new FireResult[n];
    Object[] answers = tasks.isEmpty() ? new Object[0] : o.inserts.insertAll(tx, tasks, taskArgs);
    List<Integer> created = new ArrayList<>();
    Set<String> queues = new LinkedHashSet<>();
    for (int j = 0; j < answers.length; j++) {
      int k = at.get(j);
      DueFire f = fires.get(k);
      if (answers[j] instanceof RuntimeException refused) {
        putBack(tx, f);
        out[k] = new FireResult(Optional.empty(), refused);
        continue;
      }
      Inserted inserted = (Inserted) answers[j];
      out[k] = new FireResult(Optional.of(new Applied(inserted.id())), null);
      created.add(k);
      if (inserted instanceof Inserted.Created c) {
        NewTask t = f.fire().task();
        o.signalling.added(tx, c.id(), t.queue(), t.key(), t.createdAt());
        queues.add(t.queue());
      }
    }
    record(tx, fires, created, out);
    for (String q : queues) {
      o.signalling.work(tx, q);
    }
    for (int k = 0; k < n; k++) {
      if (out[k] == null) {
        out[k] = new FireResult(Optional.empty(), null);
      }
    }
    return List.of(out);
  }

  /**
   * Inserts {@code task} in {@code tx} as a plain submit does (key, capacity, id checks), and
   * announces it at that transaction's commit; a refused insert throws its own exception.
   */
  static Inserted insertTask(Tx tx, Opened o, NewTask task, String args) throws SQLException {
    Object answer = o.inserts.insertAll(tx, List.of(task), List.of(args))[0];
    if (answer instanceof RuntimeException refused) {
      throw refused;
    }
    Inserted inserted = (Inserted) answer;
    if (inserted instanceof Inserted.Created created) {
      o.signalling.added(tx, created.id(), task.queue(), task.key(), task.createdAt());
      o.signalling.work(tx, task.queue());
    }
    return inserted;
  }

  /**
   * One fire, in the transaction that moved the schedule ({@link PostgresSchedules#advance},
   * {@code releaseHeld}): inserts the occurrence's task, then, in one statement, records the
   * fire under its unique (schedule, occurrence) key, prunes its schedule's old fires (by the
   * primary key: the schedule is given) and sets the last run.
   *
   * @throws IllegalStateException if the occurrence was recorded already (rolls back)
   */
  Applied fireOne(Tx tx, Opened o, String name, Instant occurrence, NewTask task, String args)
      throws SQLException {
    Inserted inserted = insertTask(tx, o, task, args);
    boolean recorded;
    try (PreparedStatement ps = tx.prepare(recordOne)) {
      ps.setString(1, name);
      ScheduleRows.setInstant(ps, 2, occurrence);
      ps.setLong(3, inserted.id());
      ScheduleRows.setInstant(ps, 4, task.createdAt());
      ps.setString(5, name);
      ScheduleRows.setInstant(ps, 6, occurrence.minus(PostgresSchedules.FIRES_KEPT));
      ScheduleRows.setInstant(ps, 7, occurrence);
      ps.setLong(8, inserted.id());
      ScheduleRows.setInstant(ps, 9, task.createdAt());
      ps.setString(10, name);
      recorded = ps.executeUpdate() == 1;
    }
    if (!recorded) {
      // the compare-and-set should have made this impossible; refusing keeps the guarantee
      throw new IllegalStateException("schedule '" + name + "' occurrence " + occurrence
          + " was already fired; the fire was rolled back");
    }
    return new Applied(inserted.id());
  }

  /** The compare-and-set over all of {@code fires}: the names of the schedules it moved. */
  private Set<String> move(Tx tx, List<DueFire> fires) throws SQLException {
    int n = fires.size();
    String[] names = new String[n];
    String[] expected = new String[n];
    String[] next = new String[n];
    for (int k = 0; k < n; k++) {
      DueFire f = fires.get(k);
      names[k] = f.name();
      expected[k] = text(f.expectedNextDue());
      next[k] = text(f.fire().nextDue());
    }
    Set<String> moved = new HashSet<>();
    try (PreparedStatement ps = tx.prepare(move)) {
      ps.setArray(1, tx.connection.createArrayOf("text", names));
      ps.setArray(2, tx.connection.createArrayOf("text", expected));
      ps.setArray(3, tx.connection.createArrayOf("text", next));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          moved.add(rs.getString(1));
        }
      }
    }
    return moved;
  }

  /** Undoes the move of a fire whose task was refused (this transaction holds the row). */
  private void putBack(Tx tx, DueFire f) throws SQLException {
    try (PreparedStatement ps = tx.prepare(putBack)) {
      ps.setString(1, text(f.expectedNextDue()));
      ps.setString(2, f.name());
      ps.executeUpdate();
    }
  }

  /**
   * Records the fires at {@code created} under their unique key and sets their last runs; a
   * fire already recorded (impossible after the compare-and-set) fails the whole transaction.
   */
  private void record(Tx tx, List<DueFire> fires, List<Integer> created, FireResult[] out)
      throws SQLException {
    if (created.isEmpty()) {
      return;
    }
    int m = created.size();
    String[] names = new String[m];
    String[] occurrences = new String[m];
    Long[] taskIds = new Long[m];
    String[] firedAt = new String[m];
    for (int j = 0; j < m; j++) {
      int k = created.get(j);
      DueFire f = fires.get(k);
      names[j] = f.name();
      occurrences[j] = text(f.fire().occurrence());
      taskIds[j] = out[k].applied().orElseThrow().taskId();
      firedAt[j] = text(f.fire().task().createdAt());
    }
    int recorded;
    try (PreparedStatement ps = tx.prepare(record)) {
      ps.setArray(1, tx.connection.createArrayOf("text", names));
      ps.setArray(2, tx.connection.createArrayOf("text", occurrences));
      ps.setArray(3, tx.connection.createArrayOf("bigint", taskIds));
      ps.setArray(4, tx.connection.createArrayOf("text", firedAt));
      recorded = ps.executeUpdate();
    }
    if (recorded != m) {
      // the compare-and-set should have made this impossible; refusing keeps the guarantee
      throw new IllegalStateException("of " + m + " schedule fires only " + recorded
          + " were new; an occurrence was already fired, so none was applied");
    }
  }

  /** An instant as PostgreSQL reads a timestamptz from text (microseconds kept), or null. */
  static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
