package io.errand.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.server.config.ConfigCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code errand config check FILE}: every problem of a config, each with its file, line and key,
 * where start-up would stop at the first. Values are substituted from this shell's environment,
 * as {@code errand serve} would.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Checks a config (errand.yaml, a Yao task file or a directory of task files)"
        + " and prints every problem, one a line: FILE:LINE: KEY: PROBLEM.",
        "Exit codes: 0 no problem, 2 problems (or no such file)."})
final class ConfigCheckCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE",
      description = "errand.yaml, a Yao task file (*.yao), or a directory of task files")
  Path file;

  @Option(names = "--json", description = "Print {file, ok, problems: [{file, line, key,"
      + " problem}]} instead of text.")
  boolean json;

  @Override
  public Integer call() {
    List<ConfigCheck.Problem> problems = new ConfigCheck(System.getenv()).check(file);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode n = JSON.createObjectNode();
      n.put("file", file.toString());
      n.put("ok", problems.isEmpty());
      ArrayNode all = n.putArray("problems");
      for (ConfigCheck.Problem p : problems) {
        ObjectNode o = all.addObject();
        o.put("file", p.file().toString());
        if (p.line().isPresent()) {
          o.put("line", p.line().getAsInt());
        } else {
          o.putNull("line");
        }
        o.put("key", p.path());
        o.put("problem", p.problem());
      }
      out.println(n.toPrettyString());
    } else if (problems.isEmpty()) {
      out.println(file + ": no problems");
    } else {
      problems.forEach(out::println);
      int n = problems.size();
      out.println(file + ": " + n + (n == 1 ? " problem" : " problems"));
    }
    out.flush();
    return problems.isEmpty() ? 0 : 2;
  }
}
