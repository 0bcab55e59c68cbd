package io.errand.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code errand config check} (every problem, with line and key, exit 2) and
 * {@code errand completion} (a bash script that completes the real commands and options).
 */
class CliConfigTest {
  @TempDir
  Path dir;

  @Test
  void configCheckPrintsEveryProblemWithItsLineAndExits2() throws IOException {
    Path file = Files.writeString(dir.resolve("errand.yaml"), """
        server:
          port: 70000
        queues:
          mail:
            handler: exec
            workers: -3
            colour: blue
        """);

    Cli.Result r = Cli.run("config", "check", file.toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.out().lines()).containsExactly(
        file + ":2: server.port: must be between 0 and 65535, was 70000",
        file + ":6: queues.mail.workers: must be between 1 and 100000, was -3",
        r.out().lines().filter(l -> l.startsWith(file + ":7: queues.mail.colour: unknown key"))
            .findFirst().orElse("no line for queues.mail.colour"),
        file + ": 3 problems");
  }

  @Test
  void configCheckOfAGoodFileExits0AndJsonListsTheProblems() throws IOException {
    Path good = Files.writeString(dir.resolve("good.yaml"), "queues: {q: {handler: exec}}\n");
    Cli.Result ok = Cli.run("config", "check", good.toString());
    assertThat(ok.code()).as(ok.toString()).isZero();
    assertThat(ok.out()).isEqualTo(good + ": no problems\n");

    Path bad = Files.writeString(dir.resolve("bad.yaml"), "queues: {q: {workers: 0}}\n");
    Cli.Result json = Cli.run("config", "check", "--json", bad.toString());
    assertThat(json.code()).isEqualTo(2);
    assertThat(json.out()).contains("\"ok\" : false").contains("\"key\" : \"queues.q.handler\"")
        .contains("\"key\" : \"queues.q.workers\"").contains("\"line\" : 1");
  }

  @Test
  void configCheckOfAMissingFileExits2() {
    Cli.Result r = Cli.run("config", "check", dir.resolve("none.yaml").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("no such file");
  }

  @Test
  void theCompletionScriptCompletesCommandsAndOptionsInBash() throws Exception {
    Cli.Result r = Cli.run("completion");
    assertThat(r.code()).as(r.toString()).isZero();
    Path script = Files.writeString(dir.resolve("errand.bash"), r.out());

    assertThat(complete(script, "errand", "su")).containsExactly("submit");
    assertThat(complete(script, "errand", "con")).containsExactly("config");
    assertThat(complete(script, "errand", "config", "ch")).containsExactly("check");
    assertThat(complete(script, "errand", "submit", "--wa")).containsExactly("--wait");
    assertThat(complete(script, "errand", "list", "--st")).containsExactly("--status");
  }

  /** What bash's completion offers for the last word after sourcing {@code script}. */
  private static List<String> complete(Path script, String... words)
      throws IOException, InterruptedException {
    StringBuilder quoted = new StringBuilder();
    for (String w : words) {
      quoted.append(" '").append(w).append('\'');
    }
    // compopt works only inside a real completion; its effect (no space after '=') is not
    // what these tests read
    String program = "source '" + script + "'\ncompopt() { :; }\n"
        + "COMP_WORDS=(" + quoted + " )\n"
        + "COMP_CWORD=" + (words.length - 1) + "\n"
        + "COMP_LINE='" + String.join(" ", words) + "'\n"
        + "COMP_POINT=${#COMP_LINE}\n"
        + "_complete_errand\n"
        + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }
}
