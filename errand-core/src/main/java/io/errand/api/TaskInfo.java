package io.errand.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one task, with the fields every Errand interface shows. The first six are
 * named as in the Yao task pools this project grew from: {@code id, status, current, total,
 * message, response}.
 *
 * @param id           positive, unique within one store
 * @param queue        the queue it belongs to
 * @param status       where it is in its lifecycle
 * @param current      progress so far, as reported by the handler
 * @param total        progress goal, as reported by the handler (0 = unknown)
 * @param message      the handler's latest progress message, or the error or cancel reason
 *                     once finished; never null
 * @param response     the result on {@link TaskStatus#SUCCESS}, the last {@link TaskError} on
 *                     {@link TaskStatus#FAILURE}, otherwise null
 * @param args         the arguments it was submitted with
 * @param attempt      the number of the current or last attempt (0 before the first)
 * @param errors       the error of every failed attempt, oldest first
 * @param createdAt    when it was accepted
 * @param startedAt    when its current or last attempt started, or null
 * @param finishedAt   when it reached a terminal status, or null
 * @param runAt        the earliest time it may (next) run
 * @param key          its unique key within the queue, or null
 * @param priority     higher runs first among due tasks of a queue
 * @param group        the batch or chain it belongs to, or 0
 * @param cancelReason why it was cancelled (or is being cancelled), or null
 *
 * <p>Stores build it with {@link #builder}, by name, not by the position of 18 fields.
 */
public record TaskInfo(
    long id,
    String queue,
    TaskStatus status,
    long current,
    long total,
    String message,
    Object response,
    Object args,
    int attempt,
    List<TaskError> errors,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant runAt,
    String key,
    int priority,
    long group,
    String cancelReason) {

  /** Checks the queue, status and creation time are given; takes a null message as empty. */
  public TaskInfo {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    message = message == null ? "" : message;
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** Whether the task has reached SUCCESS, FAILURE or CANCELLED. */
  public boolean isFinished() {
    return status.isTerminal();
  }

  /** The error of the last failed attempt, if any attempt failed. */
  public Optional<TaskError> lastError() {
    return errors.isEmpty() ? Optional.empty() : Optional.of(errors.get(errors.size() - 1));
  }

  /**
   * The result as {@code type}: the response when it is one, else its JSON form converted (a
   * queue declared without a result type gives plain JSON values on every store). The typed
   * {@link TaskQueue} converts with the Errand's own {@code ObjectMapper}; this uses the
   * default one.
   *
   * @throws IllegalStateException if the task did not succeed
   * @throws IllegalArgumentException if the result cannot be converted to {@code type}
   */
  public <T> T result(Class<T> type) {
    if (status != TaskStatus.SUCCESS) {
      throw new IllegalStateException("task " + id + " has no result: its status is " + status);
    }
    return Json.convert(response, type);
  }

  /** Progress as a fraction in [0, 1], or 0 while the total is unknown. */
  public double fraction() {
    if (total <= 0) {
      return status == TaskStatus.SUCCESS ? 1.0 : 0.0;
    }
    return Math.max(0.0, Math.min(1.0, (double) current / total));
  }

  /**
   * A builder for the task {@code id} of {@code queue}, now in {@code status}, accepted at
   * {@code createdAt}; every other field starts empty (zero, null, no errors).
   */
  public static Builder builder(long id, String queue, TaskStatus status, Instant createdAt) {
    return new Builder(id, queue, status, createdAt);
  }

  /** Collects the fields of a {@link TaskInfo} by name; {@link #build()} checks them. */
  public static final class Builder {
    private final long id;
    private final String queue;
    private final TaskStatus status;
    private final Instant createdAt;
    private long current;
    private long total;
    private String message;
    private Object response;
    private Object args;
    private int attempt;
    private List<TaskError> errors;
    private Instant startedAt;
    private Instant finishedAt;
    private Instant runAt;
    private String key;
    private int priority;
    private long group;
    private String cancelReason;

    private Builder(long id, String queue, TaskStatus status, Instant createdAt) {
      this.id = id;
      this.queue = queue;
      this.status = status;
      this.createdAt = createdAt;
    }

    /** Progress so far and its goal (0 = unknown), with the latest message (null: empty). */
    public Builder progress(long current, long total, String message) {
      this.current = current;
      this.total = total;
      this.message = message;
      return this;
    }

    /** The result, or the last error once failed ({@link TaskInfo#response()}). */
    public Builder response(Object response) {
      this.response = response;
      return this;
    }

    /** The arguments it was submitted with. */
    public Builder args(Object args) {
      this.args = args;
      return this;
    }

    /** The current or last attempt and the errors of the failed ones, oldest first. */
    public Builder attempts(int attempt, List<TaskError> errors) {
      this.attempt = attempt;
      this.errors = errors;
      return this;
    }

    /** When its current or last attempt started and when it finished (each may be null). */
    public Builder ran(Instant startedAt, Instant finishedAt) {
      this.startedAt = startedAt;
      this.finishedAt = finishedAt;
      return this;
    }

    /** The earliest time it may (next) run. */
    public Builder runAt(Instant runAt) {
      this.runAt = runAt;
      return this;
    }

    /** Its unique key within the queue (or null) and its priority. */
    public Builder keyAndPriority(String key, int priority) {
      this.key = key;
      this.priority = priority;
      return this;
    }

    /** The batch or chain it belongs to, or 0. */
    public Builder group(long group) {
      this.group = group;
      return this;
    }

    /** Why it was (or is being) cancelled, or null. */
    public Builder cancelReason(String cancelReason) {
      this.cancelReason = cancelReason;
      return this;
    }

    /**
     * The snapshot.
     *
     * @throws NullPointerException if the queue, status or creation time is null
     */
    public TaskInfo build() {
      return new TaskInfo(id, queue, status, current, total, message, response, args, attempt,
          errors, createdAt, startedAt, finishedAt, runAt, key, priority, group, cancelReason);
    }
  }
}
