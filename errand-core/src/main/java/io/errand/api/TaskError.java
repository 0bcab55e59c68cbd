package io.errand.api;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What went wrong in one attempt, kept for the people who look into it: the exception's class
 * and message, its causes, a stack trace cut to a size limit and, for a program that failed,
 * the last lines it printed.
 *
 * <p>A {@link NonRetryableException} that wraps a cause is kept under its cause's type, so that
 * failures of one kind group together whether or not the handler gave up on them at once.
 *
 * @param attempt the attempt that failed, from 1
 * @param type    the exception's class name, or {@code "timeout"} / {@code "abandoned"} for
 *                failures the engine itself declared
 * @param message a message a person can read; never null
 * @param at      when the attempt ended
 * @param causes  the exception's causes, outermost first (none when it had none); never null
 * @param trace   the stack trace, its first characters up to the configured limit (then a
 *                line saying how many were left out); empty when none was kept
 * @param output  the tail of what a program printed ({@link ProgramOutput}); empty for others
 */
public record TaskError(int attempt, String type, String message, Instant at,
    List<Cause> causes, String trace, String output) {

  /** The stack trace kept when nothing else is configured, in characters. */
  public static final int DEFAULT_TRACE_LIMIT = 8192;
  /** The largest stack trace limit allowed, in characters. */
  public static final int MAX_TRACE_LIMIT = 1 << 20;
  /** Causes beyond this many are left out: a deeper chain says nothing more to a person. */
  public static final int MAX_CAUSES = 16;

  /**
   * One cause of a failure.
   *
   * @param type    the cause's class name
   * @param message its message; never null
   */
  public record Cause(String type, String message) {
    /** Checks the type is given; a null message becomes empty. */
    public Cause {
      Objects.requireNonNull(type, "type");
      message = message == null ? "" : message;
    }
  }

  /**
   * Checks the attempt is at least 1; a null message, trace or output becomes empty, null causes
   * none.
   */
  public TaskError {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    message = message == null ? "" : message;
    causes = causes == null ? List.of() : List.copyOf(causes);
    trace = trace == null ? "" : trace;
    output = output == null ? "" : output;
  }

  /** An error without causes, trace or output (one the engine declares itself). */
  public TaskError(int attempt, String type, String message, Instant at) {
    this(attempt, type, message, at, List.of(), "", "");
  }

  /** The error of {@code failure} in attempt {@code attempt}, its trace cut at the default. */
  public static TaskError of(int attempt, Throwable failure, Instant at) {
    return of(attempt, failure, at, DEFAULT_TRACE_LIMIT);
  }

  /**
   * The error of {@code failure} in attempt {@code attempt}, with at most {@code traceLimit}
   * characters of its stack trace (0 keeps none).
   *
   * @throws IllegalArgumentException if {@code traceLimit} is outside 0..{@link #MAX_TRACE_LIMIT}
   */
  public static TaskError of(int attempt, Throwable failure, Instant at, int traceLimit) {
    if (traceLimit < 0 || traceLimit > MAX_TRACE_LIMIT) {
      throw new IllegalArgumentException("traceLimit must be between 0 and " + MAX_TRACE_LIMIT
          + ", was " + traceLimit);
    }
    Throwable named = failure;
    String message = failure.getMessage();
    if (failure instanceof NonRetryableException && failure.getCause() != null) {
      named = failure.getCause();
      if (message == null || message.isEmpty()) {
        message = named.getMessage();
      }
    }
    List<Cause> causes = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    seen.add(failure);
    seen.add(named);
    String output = failure instanceof ProgramOutput p ? p.outputTail() : null;
    for (Throwable c = named.getCause(); c != null && seen.add(c); c = c.getCause()) {
      if (causes.size() < MAX_CAUSES) {
        causes.add(new Cause(c.getClass().getName(), c.getMessage()));
      }
      if (output == null && c instanceof ProgramOutput p) {
        output = p.outputTail();
      }
    }
    if (output == null && named instanceof ProgramOutput p) {
      output = p.outputTail();
    }
    return new TaskError(attempt, named.getClass().getName(), message, at, causes,
        cut(traceOf(failure), traceLimit), output);
  }

  private static String traceOf(Throwable failure) {
    StringWriter w = new StringWriter();
    try (PrintWriter p = new PrintWriter(w)) {
      failure.printStackTrace(p);
    } catch (RuntimeException broken) {
      // A throwable whose own toString or getMessage throws: keep what was written.
      return w.toString();
    }
    return w.toString();
  }

  /** {@code text} cut to {@code limit} characters, and a line saying how many were left out. */
  static String cut(String text, int limit) {
    if (text.length() <= limit) {
      return text;
    }
    return limit == 0 ? "" : text.substring(0, limit) + "\n... "
        + (text.length() - limit) + " more characters";
  }

  @Override
  public String toString() {
    return "attempt " + attempt + ": " + type + (message.isEmpty() ? "" : ": " + message);
  }
}
