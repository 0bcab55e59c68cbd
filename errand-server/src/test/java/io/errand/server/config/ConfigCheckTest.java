package io.errand.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ConfigCheck}: every problem of a config, each once, with its key and line. */
class ConfigCheckTest {
  @TempDir
  Path dir;

  @Test
  void aFileWithSixMistakesGetsSixProblemsInLineOrderWithTheirLines() throws IOException {
    Path file = write("errand.yaml", """
        server:
          port: 70000
          colour: blue
        shutdown_grace: soon
        queues:
          mail:
            handler: exec
            workers: -3
          mail.welcome:
            handler: exec
            worker_num: 2
          thumbs:
            attempts: 2
        """);

    List<ConfigCheck.Problem> problems = new ConfigCheck(Map.of()).check(file);

    assertThat(problems).extracting(ConfigCheck.Problem::path).containsExactly(
        "server.port", "server.colour", "shutdown_grace", "queues.mail.workers",
        "queues.mail.welcome.worker_num", "queues.thumbs.handler");
    assertThat(problems).allSatisfy(p -> assertThat(p.file()).isEqualTo(file));
    assertThat(line(problems, "server.port")).hasValue(2);
    assertThat(line(problems, "server.colour")).hasValue(3);
    assertThat(line(problems, "shutdown_grace")).hasValue(4);
    assertThat(line(problems, "queues.mail.workers")).hasValue(8);
    assertThat(line(problems, "queues.mail.welcome.worker_num")).hasValue(11);
    assertThat(line(problems, "queues.thumbs.handler")).as("a missing key: its queue's line")
        .hasValue(12);
    assertThat(problem(problems, "queues.mail.workers"))
        .isEqualTo("must be between 1 and 100000, was -3");
    assertThat(problem(problems, "queues.mail.welcome.worker_num"))
        .startsWith("unknown key (did you mean 'worker_nums'?)");
    assertThat(problems.get(0).toString()).startsWith(file + ":");
  }

  @Test
  void aMissingRequiredKeyIsReportedOnceAndItsSiblingsAreStillChecked() throws IOException {
    Path file = write("errand.yaml", """
        queues:
          a:
            workers: 0
          b:
            handler: exec
            timeout: forever
        """);

    List<ConfigCheck.Problem> problems = new ConfigCheck(Map.of()).check(file);

    assertThat(problems).extracting(ConfigCheck.Problem::path)
        .containsExactly("queues.a.handler", "queues.a.workers", "queues.b.timeout");
  }

  @Test
  void aGoodConfigHasNoProblems() throws IOException {
    Path file = write("errand.yaml", "queues: {mail: {handler: exec, workers: 2}}\n");
    assertThat(new ConfigCheck(Map.of()).check(file)).isEmpty();
  }

  @Test
  void badSyntaxIsOneProblemOfTheWholeFile() throws IOException {
    Path file = write("errand.yaml", "queues: {mail: [\n");
    List<ConfigCheck.Problem> problems = new ConfigCheck(Map.of()).check(file);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).path()).isEmpty();
    assertThat(problems.get(0).problem()).containsIgnoringCase("line");
  }

  @Test
  void aMissingFileIsOneProblem() {
    List<ConfigCheck.Problem> problems = new ConfigCheck(Map.of()).check(dir.resolve("no.yaml"));
    assertThat(problems).singleElement()
        .satisfies(p -> assertThat(p.problem()).startsWith("no such file"));
  }

  @Test
  void aDirectoryOfTaskFilesIsCheckedFileByFile() throws IOException {
    Path tasks = Files.createDirectory(dir.resolve("tasks"));
    Files.writeString(tasks.resolve("good.yao"), "{\"process\": \"exec\"}");
    Files.writeString(tasks.resolve("one.yao"), "{\n  \"process\": \"exec\",\n"
        + "  \"worker_nums\": 0\n}");
    Files.writeString(tasks.resolve("two.yao"), "{\n  \"process\": \"exec\",\n"
        + "  \"size\": -1,\n  \"colour\": 1\n}");

    List<ConfigCheck.Problem> problems = new ConfigCheck(Map.of()).check(tasks);

    assertThat(problems).extracting(p -> p.file().getFileName() + ":" + p.line().orElse(0)
        + ":" + p.path()).containsExactlyInAnyOrder("one.yao:3:worker_nums", "two.yao:3:size",
        "two.yao:4:colour");
  }

  @Test
  void theTaskFilesOfAConfigsTasksDirectoryAreCheckedEachAndTheConfigToo() throws IOException {
    Path tasks = Files.createDirectory(dir.resolve("tasks"));
    Files.writeString(tasks.resolve("one.yao"), "{\n  \"process\": \"exec\",\n"
        + "  \"worker_nums\": 0,\n  \"size\": -1\n}");
    Files.writeString(tasks.resolve("two.yao"), "{\n  \"process\": \"exec\",\n"
        + "  \"colour\": 1\n}");
    Path file = write("errand.yaml", """
        tasks: tasks
        queues:
          mail:
            handler: exec
            workers: -3
        """);

    List<ConfigCheck.Problem> problems = new ConfigCheck(Map.of()).check(file);

    assertThat(problems).extracting(p -> p.file().getFileName() + ":" + p.line().orElse(0)
        + ":" + p.path()).containsExactlyInAnyOrder("errand.yaml:5:queues.mail.workers",
        "one.yao:3:worker_nums", "one.yao:4:size", "two.yao:3:colour");
  }

  @Test
  void everyMissingVariableIsAProblem() throws IOException {
    Path file = write("errand.yaml", """
        server:
          port: ${NO_SUCH_PORT}
        queues:
          mail:
            handler: exec
            workers: ${NO_SUCH_WORKERS}
        """);

    assertThat(new ConfigCheck(Map.of()).check(file)).extracting(ConfigCheck.Problem::path)
        .containsExactlyInAnyOrder("server.port", "queues.mail.workers");
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static OptionalInt line(List<ConfigCheck.Problem> problems, String path) {
    return problems.stream().filter(p -> p.path().equals(path)).findFirst().orElseThrow()
        .line();
  }

  private static String problem(List<ConfigCheck.Problem> problems, String path) {
    return problems.stream().filter(p -> p.path().equals(path)).findFirst().orElseThrow()
        .problem();
  }
}
