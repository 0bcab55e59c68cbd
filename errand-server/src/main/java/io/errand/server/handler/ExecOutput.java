package io.errand.server.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.errand.api.NonRetryableException;
import io.errand.api.TaskContext;
import io.errand.common.Redaction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an exec attempt makes of its program's output: {@code ::progress} lines become progress
 * reports, the last {@code ::result} line becomes the result, other stdout lines are kept as a
 * bounded tail, and the tail of stderr explains a failure.
 */
final class ExecOutput {
  /** What a result line starts with; the JSON value follows. */
  static final String RESULT_PREFIX = "::result";
  /** Stderr kept for an error message: enough to see why, small enough for a task record. */
  static final int STDERR_LINES = 20;
  static final int STDERR_CHARS = 4096;

  private final TaskContext<?> ctx;
  private final OutputTail stdout;
  private final OutputTail stderr = new OutputTail(STDERR_LINES, STDERR_CHARS);
  /** The last stdout lines, for a failed attempt's output tail (the full tail is the result's). */
  private final OutputTail recent = new OutputTail(STDERR_LINES, STDERR_CHARS);
  private final List<String> secrets;
  private volatile String resultJson;

  /**
   * The output of one run.
   *
   * @param secrets values the program was given that must not show: every text taken from its
   *                output (progress, result, the tails) has them masked
   */
  ExecOutput(TaskContext<?> ctx, int maxOutput, List<String> secrets) {
    this.ctx = ctx;
    this.stdout = new OutputTail(Integer.MAX_VALUE, maxOutput);
    this.secrets = List.copyOf(secrets);
  }

  /** Takes one stdout line; called by the stdout pump. */
  void stdoutLine(String line) {
    Optional<ProgressLine.Progress> p = ProgressLine.parse(line);
    if (p.isPresent()) {
      ctx.progress(p.get().current(), p.get().total(), scrub(p.get().message()));
      return;
    }
    if (line.startsWith(RESULT_PREFIX) && (line.length() == RESULT_PREFIX.length()
        || Character.isWhitespace(line.charAt(RESULT_PREFIX.length())))) {
      resultJson = line.substring(RESULT_PREFIX.length()).trim();
      return;
    }
    // Masked line by line, before the tail may cut a line (and a secret in it) in two.
    String masked = scrub(line);
    stdout.add(masked);
    recent.add(masked);
  }

  /** Takes one stderr line; called by the stderr pump. */
  void stderrLine(String line) {
    stderr.add(scrub(line));
  }

  /**
   * The last lines of stdout, then those of stderr, each under a {@code [stdout]} or
   * {@code [stderr]} line when it has any; the empty string when the program printed nothing.
   * Apart rather than interleaved: the two pipes are read by two threads, so their order
   * between each other is not known.
   */
  String outputTail() {
    StringBuilder b = new StringBuilder();
    for (String[] part : new String[][] {{"[stdout]", recent.text()},
        {"[stderr]", stderr.text()}}) {
      if (!part[1].isEmpty()) {
        b.append(b.isEmpty() ? "" : "\n").append(part[0]).append('\n').append(part[1]);
      }
    }
    return b.toString();
  }

  /** The last lines of stderr, or the empty string. */
  String stderrTail() {
    return stderr.text();
  }

  /**
   * The result of a run that exited with 0: the value of the last {@code ::result} line, else
   * {@code {exit_code, stdout}} with the tail of stdout.
   *
   * @throws NonRetryableException if the {@code ::result} line is not JSON: the program's own
   *     bug, which running it again would repeat
   */
  Object result(int exitCode) {
    String json = resultJson;
    if (json != null) {
      try {
        return Redaction.scrubValue(JsonValues.parse(json), secrets);
      } catch (JsonProcessingException e) {
        String masked = scrub(json);
        String shown = masked.length() > 200 ? masked.substring(0, 200) + "…" : masked;
        throw new NonRetryableException("the program's ::result line is not one JSON value: '"
            + shown + "'");
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("exit_code", exitCode);
    r.put("stdout", stdout.text());
    return r;
  }

  private String scrub(String text) {
    return Redaction.scrub(text, secrets);
  }
}
