package io.errand.postgres;

import io.errand.api.OnConflict;
import io.errand.api.TaskStatus;
import io.errand.api.Uniqueness;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeSet;

/**
 * The key check of a submit whose {@link Uniqueness} asks more than one live task per key
 * ({@link NewTask#hasRichUniqueness}): finds the task that holds the key and applies the
 * submit's conflict mode to it.
 *
 * <p><b>Exactness without a cluster-wide lock.</b> The live part is the partial unique index
 * on (queue, key), as for every keyed insert. What the index cannot say (a finished task within
 * the period; the holder's run time or arguments changed by a debounce or a replace, which must
 * not be lost between two submits) is made exact by a transaction-scoped advisory lock on a
 * hash of (queue, key): only submits of that one key wait for each other; other keys, and plain
 * submits, take no lock. The lock is held to the commit, so each such submit sees what the
 * previous one committed.
 */
final class UniqueKeys {
  private final String schema;
  private final String lock;
  private final String findLive;
  private final String replace;
  private final String debounce;

  UniqueKeys(String schema) {
    this.schema = schema;
    lock = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))";
    findLive = Schema.qualify(schema, "SELECT id, status FROM {s}.tasks WHERE queue = ? "
        + "AND key = ? AND status IN ('WAITING', 'RUNNING')");
    replace = Schema.qualify(schema, "UPDATE {s}.tasks SET args = ? WHERE id = ? "
        + "AND status = 'WAITING'");
    // only ever later; ready only if due now: a claim takes ready tasks without looking at
    // their run time (SET sees the row as it was, so both CASEs compare with the old run_at)
    debounce = Schema.qualify(schema, "UPDATE {s}.tasks SET run_at = greatest(run_at, ?), "
        + "ready = CASE WHEN ? > run_at THEN ? ELSE ready END WHERE id = ? "
        + "AND status = 'WAITING'");
  }

  /**
   * Takes the advisory locks of the keys of {@code tasks} that have a rich uniqueness, in one
   * order (sorted), so that two transactions locking several keys never wait for each other in
   * a cycle.
   */
  void lock(Tx tx, List<NewTask> tasks) throws SQLException {
    TreeSet<String> names = new TreeSet<>();
    for (NewTask t : tasks) {
      if (t.key() != null && t.hasRichUniqueness()) {
        names.add("errand-key:" + schema + ':' + t.queue() + '\u001f' + t.key());
      }
    }
    if (names.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = tx.prepare(lock)) {
      for (String n : names) {
        ps.setString(1, n);
        ps.execute();
      }
    }
  }

  /**
   * What a keyed submit answers when its key is held (the holder, unchanged or changed as its
   * {@link OnConflict} says), or null when no task holds it. Call after {@link #lock}.
   */
  Inserted resolve(Tx tx, NewTask t, String args) throws SQLException {
    Uniqueness u = t.effectiveUniqueness();
    long id;
    TaskStatus status;
    try (PreparedStatement ps = find(tx, t, u); ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      id = rs.getLong(1);
      status = TaskStatus.valueOf(rs.getString(2));
    }
    OnConflict how = u.onConflict();
    if (status != TaskStatus.WAITING || how instanceof OnConflict.ReturnExisting) {
      return new Inserted.AlreadyLive(id);
    }
    int changed;
    switch (how) {
      case OnConflict.ReplaceArgs r -> {
        try (PreparedStatement ps = tx.prepare(replace)) {
          ps.setString(1, args);
          ps.setLong(2, id);
          changed = ps.executeUpdate();
        }
      }
      case OnConflict.Debounce d -> {
        try (PreparedStatement ps = tx.prepare(debounce)) {
          ps.setObject(1, Row.timestamp(t.runAt()));
          ps.setObject(2, Row.timestamp(t.runAt()));
          ps.setBoolean(3, !t.runAt().isAfter(t.createdAt()));
          ps.setLong(4, id);
          changed = ps.executeUpdate();
        }
      }
      case OnConflict.ReturnExisting r -> throw new AssertionError("answered above");
    }
    // A claim may have taken it since the select: then it is left as it runs.
    return changed == 1 ? new Inserted.Updated(id, how) : new Inserted.AlreadyLive(id);
  }

  private PreparedStatement find(Tx tx, NewTask t, Uniqueness u) throws SQLException {
    if (u.finishedStateNames().isEmpty()) {
      PreparedStatement ps = tx.prepare(findLive);
      ps.setString(1, t.queue());
      ps.setString(2, t.key());
      return ps;
    }
    StringBuilder in = new StringBuilder();
    for (String s : new TreeSet<>(u.finishedStateNames())) {
      in.append(in.isEmpty() ? "'" : ", '").append(s).append('\'');
    }
    PreparedStatement ps = tx.prepare(Schema.qualify(schema, "SELECT id, status FROM {s}.tasks "
        + "WHERE key = ? AND queue = ? AND (status IN ('WAITING', 'RUNNING') OR (status IN ("
        + in + ") AND created_at >= ?)) ORDER BY status IN ('WAITING', 'RUNNING') DESC, "
        + "created_at DESC LIMIT 1"));
    ps.setString(1, t.key());
    ps.setString(2, t.queue());
    ps.setObject(3, Row.timestamp(u.period() == null ? java.time.Instant.EPOCH
        : t.createdAt().minus(u.period())));
    return ps;
  }
}
