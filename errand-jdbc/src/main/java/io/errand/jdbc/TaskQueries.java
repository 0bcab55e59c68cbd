package io.errand.jdbc;

import io.errand.api.BatchStatus;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reads every SQL store runs the same way, written once: a task, a page of tasks, a
 * group's counts and live tasks, a supervisor's keys. The tables' names come from the store's
 * {@link Dialect}; the statements run through the store's {@link SqlRunner}.
 */
public final class TaskQueries {
  private final Dialect dialect;
  private final String tasks;
  private final String find;
  private final String group;
  private final String liveInGroup;
  private final String inGroup;
  private final String heldCallbacks;
  private final String keys;

  /** The queries on the tables {@code dialect} names. */
  public TaskQueries(Dialect dialect) {
    this.dialect = dialect;
    this.tasks = dialect.table("tasks");
    this.find = "SELECT " + StoredTask.COLUMNS + " FROM " + tasks + " WHERE id = ?";
    this.group = "SELECT status, count(*) FROM " + tasks + " WHERE grp = ? GROUP BY status";
    this.liveInGroup = "SELECT id FROM " + tasks + " WHERE grp = ? AND status IN ('"
        + TaskStatus.WAITING + "', '" + TaskStatus.RUNNING + "') ORDER BY id";
    this.inGroup = "SELECT id FROM " + tasks + " WHERE grp = ? ORDER BY id";
    // held callbacks are few and this runs at start: no index on next is worth its upkeep
    this.heldCallbacks = "SELECT c.id, coalesce((SELECT t.grp FROM " + tasks + " t WHERE "
        + "t.next = c.id LIMIT 1), 0) FROM " + tasks + " c WHERE c.status = '"
        + TaskStatus.WAITING + "' AND c.held AND c.next < 0";
    this.keys = "SELECT key, args, paused FROM " + dialect.table("keys")
        + " WHERE supervisor = ?";
  }

  /** Task {@code id}, or null. */
  public StoredTask find(SqlRunner sql, long id) throws SQLException {
    return sql.run(find, ps -> {
      ps.setLong(1, id);
      return StoredTask.one(ps, dialect);
    });
  }

  /**
   * Up to {@code limit + 1} tasks matching {@code q}, newest first: one more than a page tells
   * whether more follow ({@link Paging}).
   */
  public List<StoredTask> list(SqlRunner sql, TaskQuery q) throws SQLException {
    StringBuilder text = new StringBuilder("SELECT ").append(StoredTask.COLUMNS).append(" FROM ")
        .append(tasks).append(" WHERE id < ?");
    if (q.queue() != null) {
      text.append(" AND queue = ?");
    }
    if (q.status() != null) {
      text.append(" AND status = ?");
    }
    text.append(" ORDER BY id DESC LIMIT ?");
    return sql.run(text.toString(), ps -> {
      int i = 1;
      ps.setLong(i++, q.cursor() > 0 ? q.cursor() : Long.MAX_VALUE);
      if (q.queue() != null) {
        ps.setString(i++, q.queue());
      }
      if (q.status() != null) {
        ps.setString(i++, q.status().name());
      }
      ps.setInt(i, q.limit() + 1);
      List<StoredTask> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(StoredTask.read(rs, dialect));
        }
      }
      return rows;
    });
  }

  /** The counts of group {@code id}'s tasks by status, or null if it has none. */
  public BatchStatus group(SqlRunner sql, long id) throws SQLException {
    return sql.run(group, ps -> {
      ps.setLong(1, id);
      long[] by = new long[TaskStatus.values().length];
      long total = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long n = rs.getLong(2);
          by[TaskStatus.valueOf(rs.getString(1)).ordinal()] += n;
          total += n;
        }
      }
      if (total == 0) {
        return null;
      }
      return new BatchStatus(id, total, by[TaskStatus.WAITING.ordinal()],
          by[TaskStatus.RUNNING.ordinal()], by[TaskStatus.SUCCESS.ordinal()],
          by[TaskStatus.FAILURE.ordinal()], by[TaskStatus.CANCELLED.ordinal()]);
    });
  }

  /** The ids of group {@code id}'s WAITING and RUNNING tasks, lowest first. */
  public List<Long> liveInGroup(SqlRunner sql, long id) throws SQLException {
    return ids(sql, liveInGroup, id);
  }

  /** The ids of all of group {@code id}'s tasks, lowest first. */
  public List<Long> inGroup(SqlRunner sql, long id) throws SQLException {
    return ids(sql, inGroup, id);
  }

  /** The held batch callbacks, each with its batch's group (0 if none of it is kept). */
  public java.util.Map<Long, Long> heldCallbacks(SqlRunner sql) throws SQLException {
    return sql.run(heldCallbacks, ps -> {
      java.util.Map<Long, Long> out = new java.util.LinkedHashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getLong(1), rs.getLong(2));
        }
      }
      return out;
    });
  }

  private static List<Long> ids(SqlRunner sql, String query, long id) throws SQLException {
    return sql.run(query, ps -> {
      ps.setLong(1, id);
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    });
  }

  /** The saved keys of {@code supervisor}, still encoded ({@link StoredKeyRow#toKey}). */
  public List<StoredKeyRow> keys(SqlRunner sql, String supervisor) throws SQLException {
    return sql.run(keys, ps -> {
      ps.setString(1, supervisor);
      List<StoredKeyRow> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new StoredKeyRow(rs.getString(1), rs.getString(2), dialect.flag(rs, 3)));
        }
      }
      return out;
    });
  }
}
