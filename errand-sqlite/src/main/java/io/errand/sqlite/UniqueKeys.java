package io.errand.sqlite;

import io.errand.api.OnConflict;
import io.errand.api.TaskStatus;
import io.errand.api.Uniqueness;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.TreeSet;

/**
 * The key check of an insert: finds the task that holds a submit's key and applies the
 * submit's conflict mode to it. Exact, since the single writer runs every insert in turn: no
 * other insert can come between the check and the insert or the change.
 */
final class UniqueKeys {
  private UniqueKeys() {}

  /**
   * What a keyed submit answers when its key is held: the holder unchanged, or changed as its
   * {@link OnConflict} says; null if no task holds the key (the caller inserts).
   */
  static Inserted resolve(Writer.Tx tx, NewTask t, String args) throws SQLException {
    Uniqueness u = t.effectiveUniqueness();
    long id;
    TaskStatus status;
    try (ResultSet rs = find(tx, t, u)) {
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
    PreparedStatement ps;
    switch (how) {
      case OnConflict.ReplaceArgs r -> {
        ps = tx.sql.get("UPDATE OR FAIL tasks SET args = ? WHERE id = ? AND status = 'WAITING'");
        ps.setString(1, args);
        ps.setLong(2, id);
      }
      case OnConflict.Debounce d -> {
        // only ever later; ready only if due now: the claim index holds no task not yet due
        ps = tx.sql.get("UPDATE OR FAIL tasks SET ready = CASE WHEN ?1 > run_at THEN ?2 ELSE "
            + "ready END, run_at = max(run_at, ?1) WHERE id = ?3 AND status = 'WAITING'");
        ps.setLong(1, Row.micros(t.runAt()));
        ps.setInt(2, t.runAt().isAfter(t.createdAt()) ? 0 : 1);
        ps.setLong(3, id);
      }
      case OnConflict.ReturnExisting r -> throw new AssertionError("answered above");
    }
    ps.executeUpdate();
    return new Inserted.Updated(id, how);
  }

  /** The holder, live first, then the latest-created finished one the uniqueness counts. */
  private static ResultSet find(Writer.Tx tx, NewTask t, Uniqueness u) throws SQLException {
    if (!t.hasRichUniqueness() || u.finishedStateNames().isEmpty()) {
      PreparedStatement ps = tx.sql.get("SELECT id, status FROM tasks WHERE queue = ? "
          + "AND key = ? AND status IN ('WAITING', 'RUNNING')");
      ps.setString(1, t.queue());
      ps.setString(2, t.key());
      return ps.executeQuery();
    }
    StringBuilder in = new StringBuilder();
    for (String s : new TreeSet<>(u.finishedStateNames())) { // one text per set: cached
      in.append(in.isEmpty() ? "'" : ", '").append(s).append('\'');
    }
    PreparedStatement ps = tx.sql.get("SELECT id, status FROM tasks WHERE key = ? AND queue = ? "
        + "AND (status IN ('WAITING', 'RUNNING') OR (status IN (" + in + ") AND created_at >= ?))"
        + " ORDER BY status IN ('WAITING', 'RUNNING') DESC, created_at DESC LIMIT 1");
    ps.setString(1, t.key());
    ps.setString(2, t.queue());
    ps.setLong(3, u.period() == null ? Long.MIN_VALUE
        : Row.micros(t.createdAt().minus(u.period())));
    return ps.executeQuery();
  }
}
