package io.errand.server.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The exec handler's options are checked when it is created, with messages naming the key. */
class ExecConfigTest {
  private final ExecHandlerFactory factory = new ExecHandlerFactory();

  private void refused(Map<String, ?> options, String message) {
    assertThatThrownBy(() -> factory.create(Handlers.settings(options)))
        .isInstanceOf(SettingException.class)
        .hasMessage(message);
  }

  @Test
  void aMissingOrEmptyCommandIsRefused() {
    String msg = "queues.q.options.command: is required: the program and its arguments as a"
        + " list, e.g. [\"convert\", \"{input}\", \"{output}\"]";
    refused(Map.of(), msg);
    refused(Map.of("command", List.of()), msg);
  }

  @Test
  void aCommandWrittenAsOneStringIsRefusedRatherThanSplit() {
    refused(Map.of("command", "convert {input} {output}"),
        "queues.q.options.command: must be a list of the program and its arguments, e.g."
            + " [\"convert\", \"{input}\", \"{output}\"], was string");
  }

  @Test
  void theProgramCannotBeAPlaceholder() {
    refused(Map.of("command", List.of("{program}", "x")),
        "queues.q.options.command[0]: the program must be written out, not a placeholder,"
            + " was '{program}'");
    refused(Map.of("command", List.of(" ", "x")),
        "queues.q.options.command[0]: the program must not be empty");
  }

  @Test
  void aPlaceholderMixedWithOtherTextIsRefused() {
    refused(Map.of("command", List.of("convert", "{input}", "--out={output}")),
        "queues.q.options.command[2]: a placeholder must be a whole argument, was"
            + " '--out={output}'; give it an element of its own, such as \"{name}\"");
    refused(Map.of("command", List.of("{x}{y}", "a")),
        "queues.q.options.command[0]: a placeholder must be a whole argument, was '{x}{y}';"
            + " give it an element of its own, such as \"{name}\"");
  }

  @Test
  void bracesThatAreNoPlaceholderStayLiteral() {
    // awk programs, find's {}, JSON: none is {name}, so none is refused or filled.
    factory.create(Handlers.settings(Map.of("command",
        List.of("awk", "{print $1}", "{}", "{\"a\":1}"))));
  }

  @Test
  void otherOptionsAreChecked() {
    refused(Map.of("command", List.of("ls"), "comand", List.of("ls")),
        "queues.q.options.comand: unknown option (did you mean 'command'?); known options"
            + " are command, dir, env, grace, max_output");
    refused(Map.of("command", List.of("ls"), "env", List.of("A=1")),
        "queues.q.options.env: must be a map of names to text, was array");
    refused(Map.of("command", List.of("ls"), "env", Map.of("A", Map.of("b", 1))),
        "queues.q.options.env.A: must be text, was object");
    refused(Map.of("command", List.of("ls"), "env", Map.of("A=B", "1")),
        "queues.q.options.env.A=B: is not a valid variable name");
    refused(Map.of("command", List.of("ls"), "grace", "soon"),
        "queues.q.options.grace: 'soon' is not a duration; write it like 250ms, 30s, 5m, 2h,"
            + " 1d or PT30S");
    refused(Map.of("command", List.of("ls"), "max_output", 10),
        "queues.q.options.max_output: must be between 1024 and 16777216, was 10");
  }

  @Test
  void bothHandlersAreFoundThroughTheServiceLoader() {
    assertThat(ServiceLoader.load(HandlerFactory.class).stream().map(p -> p.get().name()))
        .contains("exec", "http");
  }
}
