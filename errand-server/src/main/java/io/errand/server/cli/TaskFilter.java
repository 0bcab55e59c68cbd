package io.errand.server.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options that pick tasks by queue, status, text and creation time, mixed into the commands
 * that take them ({@code list}, {@code bulk}); unset options pick every task.
 */
final class TaskFilter {
  @Option(names = "--queue", paramLabel = "QUEUE", description = "Only this queue's tasks.")
  String queue;

  @Option(names = "--status", paramLabel = "STATUS",
      description = "Only tasks in this status: waiting, running, success, failure, cancelled.")
  String status;

  @Option(names = "--search", paramLabel = "TEXT",
      description = "Only tasks whose id is TEXT, or whose key, arguments or errors contain it.")
  String search;

  @Option(names = "--from", paramLabel = "TIME",
      description = "Only tasks created at or after TIME (ISO-8601 UTC, e.g. 2026-12-07T22:00:00Z).")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "Only tasks created before TIME.")
  String to;

  /** Whether an option needs the server's search: text or creation time. */
  boolean searching() {
    return search != null || from != null || to != null;
  }

  /** Whether no option is set. */
  boolean none() {
    return queue == null && status == null && !searching();
  }

  /**
   * Puts the filter's query parameters in {@code query}, in the names of {@code /api/search}
   * (queue, status, q, from, to); unset options are null, which {@link ApiClient#query} leaves
   * out.
   */
  void putInto(Map<String, Object> query) {
    query.put("queue", queue);
    query.put("status", status == null ? null : status.toUpperCase(Locale.ROOT));
    query.put("q", search);
    query.put("from", from);
    query.put("to", to);
  }
}
