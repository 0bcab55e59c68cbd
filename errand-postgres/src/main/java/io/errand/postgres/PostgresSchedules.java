package io.errand.postgres;

import io.errand.api.Schedule;
import io.errand.api.ScheduleState;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.ScheduleStep;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoredSchedule;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Schedules kept in the PostgreSQL store's database, beside its tasks, shared by every node on
 * that database: the store's schedules role ({@link PostgresStore#schedules()}).
 *
 * <p><b>Exactly once per occurrence.</b> {@link #advance} is one atomic step: an
 * {@code UPDATE ... SET next_due = <new> WHERE name = ? AND state = 'ACTIVE' AND next_due =
 * <expected>}, then, if it changed the row, the task's insert, a row in
 * {@code schedule_fires} whose primary key is (schedule, occurrence), and the last run; for a
 * fire, all of it is one statement ({@link FireStatement}), else one transaction. Nodes
 * deciding the same occurrence serialise on the schedule's row: the first commits; the others'
 * {@code UPDATE}, re-checked against the committed row, matches nothing, so they insert nothing.
 * A crash before the commit leaves neither the task nor the move. The fires' primary key is a
 * second guard (a fire of an occurrence already fired fails, rolling everything back); fires
 * older than {@link #FIRES_KEPT} before the newest are pruned as it is written.
 *
 * <p><b>Changes on every node.</b> Every node's schedule runner reads the due schedules' rows
 * afresh at each look, and looks at least once a second, so an update, pause, resume or delete
 * made on any node takes effect on all of them within about a second, with no restart and no
 * message between them.
 *
 * <p><b>Nodes split the work.</b> {@link #due} claims the rows it returns for this node
 * ({@link ScheduleClaims}), so the nodes share the due schedules instead of each deciding all.
 *
 * <p><b>Args.</b> Fixed args are stored as the store's codec encodes them. An args function
 * ({@link Schedule.Builder#argsFrom}) cannot be stored: it is kept in this object, by schedule
 * name, and used by this node only; another node fires such a schedule with no args unless it
 * was given the same function (by creating or updating the schedule with it).
 */
final class PostgresSchedules implements ScheduleStore {
  /** How long fired occurrences stay in {@code schedule_fires} behind a schedule's newest. */
  static final Duration FIRES_KEPT = Duration.ofDays(1);

  private final PostgresStore store;
  private volatile ScheduleFires batch; // made at first use: the store's schema is known then
  private final Map<String, Function<Instant, ?>> functions = new ConcurrentHashMap<>();
  private final Map<String, ScheduleRows.Known> known = new ConcurrentHashMap<>();

  /**
   * Schedules in {@code store}'s database and schema, whose tasks go into {@code store}. The
   * store must be open (the {@link io.errand.api.Errand} that uses it opens it) before any
   * method is called.
   */
  PostgresSchedules(PostgresStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  private Opened opened() {
    return store.opened();
  }

  private String sql(String text) {
    return Schema.qualify(store.schemaName(), text);
  }

  @Override
  public boolean create(Schedule schedule, Instant nextDue) {
    ScheduleRows.requireMicros(schedule.name(), nextDue);
    Opened o = opened();
    String args = encodeArgs(o, schedule);
    boolean created = o.db.autocommit(tx -> tx.run(sql("INSERT INTO {s}.schedules (name, "
        + "queue, spec, args, jitter, start_at, end_at, missed, overlap, state, next_due) VALUES "
        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?) ON CONFLICT (name) DO NOTHING"), ps -> {
          ps.setString(1, schedule.name());
          int i = ScheduleRows.setDefinition(ps, 2, schedule, args);
          ScheduleRows.setInstant(ps, i, nextDue);
          return ps.executeUpdate() == 1;
        }));
    if (created) {
      remember(schedule);
    }
    return created;
  }

  @Override
  public boolean update(Schedule schedule) {
    return replace(schedule, null, false);
  }

  @Override
  public boolean reschedule(Schedule schedule, Instant nextDue) {
    ScheduleRows.requireMicros(schedule.name(), nextDue);
    return replace(schedule, nextDue, true);
  }

  private boolean replace(Schedule schedule, Instant nextDue, boolean setNextDue) {
    Opened o = opened();
    String args = encodeArgs(o, schedule);
    boolean replaced = o.db.autocommit(tx -> tx.run(sql("UPDATE {s}.schedules SET queue = ?, "
        + "spec = ?, args = ?, jitter = ?, start_at = ?, end_at = ?, missed = ?, overlap = ?"
        + (setNextDue ? ", next_due = ?" : "") + " WHERE name = ?"), ps -> {
          int i = ScheduleRows.setDefinition(ps, 1, schedule, args);
          if (setNextDue) {
            ScheduleRows.setInstant(ps, i++, nextDue);
          }
          ps.setString(i, schedule.name());
          return ps.executeUpdate() == 1;
        }));
    if (replaced) {
      remember(schedule);
    }
    return replaced;
  }

  @Override
  public boolean delete(String name) {
    Opened o = opened();
    boolean deleted = o.db.transaction(tx -> {
      tx.run(sql("DELETE FROM {s}.schedule_fires WHERE schedule = ?"), ps -> {
        ps.setString(1, name);
        return ps.executeUpdate();
      });
      return tx.run(sql("DELETE FROM {s}.schedules WHERE name = ?"), ps -> {
        ps.setString(1, name);
        return ps.executeUpdate() == 1;
      });
    });
    functions.remove(name);
    known.remove(name);
    return deleted;
  }

  @Override
  public boolean setState(String name, ScheduleState state) {
    Objects.requireNonNull(state, "state");
    Opened o = opened();
    return o.db.autocommit(tx -> tx.run(sql("UPDATE {s}.schedules SET state = ? WHERE name = ?"),
        ps -> {
          ps.setString(1, state.name());
          ps.setString(2, name);
          return ps.executeUpdate() == 1;
        }));
  }

  @Override
  public Optional<StoredSchedule> find(String name) {
    List<StoredSchedule> found = select(" WHERE name = ?", name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  @Override
  public List<StoredSchedule> list() {
    return select(" ORDER BY name", null);
  }

  private List<StoredSchedule> select(String where, String name) {
    Opened o = opened();
    return o.db.autocommit(tx -> tx.run(sql("SELECT " + ScheduleRows.COLUMNS
        + " FROM {s}.schedules" + where), ps -> {
          if (name != null) {
            ps.setString(1, name);
          }
          List<StoredSchedule> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(ScheduleRows.read(rs, o.payloads.codec(), functions, known));
            }
          }
          if (name == null && known.size() > out.size()) { // some were deleted, maybe elsewhere
            Set<String> listed = new HashSet<>();
            out.forEach(s -> listed.add(s.name()));
            known.keySet().retainAll(listed);
          }
          return out;
        }));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here it claims them for this node ({@link ScheduleClaims}): another node's call leaves
   * them out for a few seconds, so nodes split the due schedules instead of each deciding all.
   */
  @Override
  public List<StoredSchedule> due(Instant now, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    Opened o = opened();
    List<StoredSchedule> claimed = o.db.autocommit(tx -> tx.run(sql(ScheduleClaims.CLAIM_DUE),
        ps -> {
          ScheduleClaims.bind(ps, now, o.signalling.self(), limit);
          List<StoredSchedule> rows = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              rows.add(ScheduleRows.read(rs, o.payloads.codec(), functions, known));
            }
          }
          return rows;
        }));
    return ScheduleClaims.firstDue(claimed, now, limit);
  }

  @Override
  public Optional<Instant> nextDueAfter(Instant now) {
    Opened o = opened();
    return Optional.ofNullable(o.db.autocommit(tx -> tx.run(sql(ScheduleClaims.NEXT_DUE),
        ps -> {
          ScheduleRows.setInstant(ps, 1, now);
          try (ResultSet rs = ps.executeQuery()) {
            OffsetDateTime t = rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
            return t == null ? null : t.toInstant();
          }
        })));
  }

  @Override
  public Optional<Applied> advance(String name, Instant expectedNextDue, ScheduleStep step) {
    ScheduleRows.requireMicros(name, step.nextDue());
    Opened o = opened();
    String args = step instanceof ScheduleStep.Fire fire ? o.payloads.args(fire.task()) : null;
    if (step instanceof ScheduleStep.Fire fire) { // one round trip, as in fireAll
      List<FireResult> done = o.db.autocommit(tx -> statements().applyFast(tx, o,
          List.of(new DueFire(name, expectedNextDue, fire)), List.of(args)));
      if (done != null) {
        FireResult r = done.get(0);
        if (r.refused() != null) {
          throw r.refused();
        }
        return r.applied();
      }
    }
    return Optional.ofNullable(o.db.transaction(tx -> {
      boolean moved = tx.run(sql("UPDATE {s}.schedules SET next_due = ?, claimed_by = NULL, "
          + "claimed_until = NULL"
          + (step instanceof ScheduleStep.Hold ? ", held = ?" : "")
          + " WHERE name = ? AND state = 'ACTIVE' AND next_due IS NOT DISTINCT FROM ?"), ps -> {
            int i = 1;
            ScheduleRows.setInstant(ps, i++, step.nextDue());
            if (step instanceof ScheduleStep.Hold hold) {
              ScheduleRows.setInstant(ps, i++, hold.occurrence());
            }
            ps.setString(i++, name);
            ScheduleRows.setInstant(ps, i, expectedNextDue);
            return ps.executeUpdate() == 1;
          });
      if (!moved) {
        return null;
      }
      if (step instanceof ScheduleStep.Fire fire) {
        return statements().fireOne(tx, o, name, fire.occurrence(), fire.task(), args);
      }
      return Applied.NONE;
    }));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here with one statement in autocommit whatever their number ({@link FireStatement}), or,
   * when a unique index refuses a row of it, in one transaction of a few statements
   * ({@link ScheduleFires}) that answers for each fire on its own.
   *
   * @throws IllegalArgumentException if a schedule appears twice
   */
  @Override
  public List<FireResult> fireAll(List<DueFire> fires) {
    if (fires.isEmpty()) {
      return List.of();
    }
    ScheduleFires.check(fires);
    Opened o = opened();
    List<String> args = new ArrayList<>(fires.size());
    fires.forEach(f -> args.add(o.payloads.args(f.fire().task())));
    ScheduleFires statements = statements();
    List<FireResult> done = o.db.autocommit(tx -> statements.applyFast(tx, o, fires, args));
    return done != null ? done : o.db.transaction(tx -> statements.apply(tx, o, fires, args));
  }

  private ScheduleFires statements() {
    ScheduleFires made = batch;
    if (made == null) {
      made = new ScheduleFires(store.schemaName());
      batch = made;
    }
    return made;
  }

  @Override
  public Optional<Applied> releaseHeld(String name, Instant held, NewTask task) {
    Opened o = opened();
    String args = o.payloads.args(task);
    return Optional.ofNullable(o.db.transaction(tx -> {
      boolean cleared = tx.run(sql("UPDATE {s}.schedules SET held = NULL WHERE name = ? "
          + "AND held = ?"), ps -> {
            ps.setString(1, name);
            ScheduleRows.setInstant(ps, 2, held);
            return ps.executeUpdate() == 1;
          });
      return cleared ? statements().fireOne(tx, o, name, held, task, args) : null;
    }));
  }

  @Override
  public Optional<Applied> runNow(String name, Instant at, NewTask task) {
    Opened o = opened();
    String args = o.payloads.args(task);
    return Optional.ofNullable(o.db.transaction(tx -> {
      // locks the row, so a run-now and a fire record their last runs one after the other
      boolean exists = tx.run(sql("SELECT 1 FROM {s}.schedules WHERE name = ? FOR UPDATE"),
          ps -> {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          });
      if (!exists) {
        return null;
      }
      Inserted inserted = ScheduleFires.insertTask(tx, o, task, args);
      recordLastRun(tx, name, at, inserted.id(), at);
      return new Applied(inserted.id());
    }));
  }

  private void recordLastRun(Tx tx, String name, Instant occurrence, long taskId,
      Instant firedAt) throws SQLException {
    tx.run(sql("UPDATE {s}.schedules SET last_occurrence = ?, last_task = ?, last_fired_at = ? "
        + "WHERE name = ?"), ps -> {
          ScheduleRows.setInstant(ps, 1, occurrence);
          ps.setLong(2, taskId);
          ScheduleRows.setInstant(ps, 3, firedAt);
          ps.setString(4, name);
          return ps.executeUpdate();
        });
  }

  private static String encodeArgs(Opened o, Schedule schedule) {
    Object args = schedule.fixedArgs().orElse(null);
    return o.payloads.limit().encode(args, "the arguments of schedule '" + schedule.name() + "'");
  }

  /**
   * Keeps {@code schedule}'s args function for this node, or forgets an earlier one. Fixed args
   * that are null look the same as a function from outside; keeping those too is harmless, as
   * their function gives null.
   */
  private void remember(Schedule schedule) {
    if (schedule.fixedArgs().isEmpty()) {
      functions.put(schedule.name(), schedule::argsFor);
    } else {
      functions.remove(schedule.name());
    }
  }

  @Override
  public String toString() {
    return "PostgresSchedules[" + store + "]";
  }
}
