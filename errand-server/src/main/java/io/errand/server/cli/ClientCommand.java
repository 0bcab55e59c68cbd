package io.errand.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every client command shares: the server options, one {@link ApiClient} per run, output
 * through the command line's writers (so that callers and tests can capture it), and the rule
 * that a failure prints one line, {@code errand: <what went wrong>}, and never a stack trace.
 * A plugin's commands ({@code io.errand.server.plugin.ServerPlugin#commands}) extend it too.
 */
public abstract class ClientCommand implements Callable<Integer> {
  @Mixin
  ClientOptions options;

  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() {
    try {
      try (ApiClient api = new ApiClient(options.server(), options.token())) {
        return run(api);
      }
    } catch (CliException e) {
      return fail(e.exitCode(), e.getMessage());
    } catch (RuntimeException e) {
      // A bug of ours: still one line, naming the exception so that a report can find it.
      return fail(Exit.FAILED, "unexpected error: " + e);
    }
  }

  /** Runs the command against the server and returns the exit code. */
  protected abstract int run(ApiClient api);

  /** The command line's standard output. */
  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Whether {@code --json} was given. */
  protected boolean json() {
    return options.json();
  }

  /** Prints {@code node} as indented JSON. */
  protected void printJson(JsonNode node) {
    try {
      out().println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out().flush();
  }

  /** Prints {@code lines}, one a line. */
  protected void print(Iterable<String> lines) {
    lines.forEach(out()::println);
    out().flush();
  }

  private int fail(int code, String message) {
    PrintWriter out = spec.commandLine().getOut();
    out.flush(); // what was printed before the error comes first
    PrintWriter err = spec.commandLine().getErr();
    err.println("errand: " + message);
    err.flush();
    return code;
  }
}
