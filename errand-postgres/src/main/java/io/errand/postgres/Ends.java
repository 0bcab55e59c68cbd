package io.errand.postgres;

import io.errand.api.TaskStatus;
import io.errand.jdbc.StoredTask;
import io.errand.spi.Transition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Many successful ends of attempts with one statement: the ends travel as one array per column
 * ({@code unnest}), and each row is fenced by its own attempt exactly as a single end is
 * ({@code status = 'RUNNING' AND attempt = e.attempt}), so a row that does not come back was
 * fenced out, and only that one.
 */
final class Ends {
  /** A successful end of attempt {@code attempt} of task {@code id}, its result as JSON. */
  record Success(long id, int attempt, String result, Instant at) {}

  private final String succeed;

  Ends(String schema) {
    String returning = Arrays.stream(Row.COLUMNS.split(",\\s*")).map(c -> "t." + c)
        .collect(Collectors.joining(", "));
    succeed = Schema.qualify(schema, "UPDATE {s}.tasks t SET status = '"
        + new Transition(TaskStatus.RUNNING, TaskStatus.SUCCESS).to() + "', result = e.result, "
        + "finished_at = e.at::timestamptz, node = NULL, owner = NULL FROM unnest(?::bigint[], "
        + "?::int[], ?::text[], ?::text[]) AS e(id, attempt, result, at) WHERE t.id = e.id AND "
        + "t.status = 'RUNNING' AND t.attempt = e.attempt RETURNING " + returning);
  }

  /**
   * Ends {@code ends} SUCCESS; answers, per end in order, the row as it now is, or null if that
   * end was fenced out. The rows are updated in the order of their ids, so two transactions that
   * end overlapping rows lock them in one order. Two ends of one task must not be given.
   */
  StoredTask[] succeed(Tx tx, List<Success> ends) throws SQLException {
    StoredTask[] out = new StoredTask[ends.size()];
    if (ends.isEmpty()) {
      return out;
    }
    Success[] sorted = ends.toArray(Success[]::new);
    Arrays.sort(sorted, Comparator.comparingLong(Success::id));
    int n = sorted.length;
    Long[] ids = new Long[n];
    Integer[] attempts = new Integer[n];
    String[] results = new String[n];
    String[] at = new String[n];
    for (int k = 0; k < n; k++) {
      ids[k] = sorted[k].id();
      attempts[k] = sorted[k].attempt();
      results[k] = sorted[k].result();
      at[k] = Row.timestamp(sorted[k].at()).toString();
    }
    Map<Long, StoredTask> ended = new HashMap<>();
    Connection c = tx.connection;
    try (PreparedStatement ps = tx.prepare(succeed)) {
      ps.setArray(1, c.createArrayOf("bigint", ids));
      ps.setArray(2, c.createArrayOf("integer", attempts));
      ps.setArray(3, c.createArrayOf("text", results));
      ps.setArray(4, c.createArrayOf("text", at));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          StoredTask row = Row.read(rs);
          ended.put(row.id(), row);
        }
      }
    }
    for (int k = 0; k < out.length; k++) {
      out[k] = ended.get(ends.get(k).id());
    }
    return out;
  }
}
