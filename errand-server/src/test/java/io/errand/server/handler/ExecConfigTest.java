package io.errand.server.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.common.SettingException;
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
            + " are command, dir, inherit_env, env, grace, max_output");
    refused(Map.of("command", List.of("ls"), "env", List.of("A=1")),
        "queues.q.options.env: must be a map of names to text, was array");
    refused(Map.of("command", List.of("ls"), "env", Map.of("A", List.of("b"))),
        "queues.q.options.env.A: must be text, or {secret: text} for a secret, was array");
    refused(Map.of("command", List.of("ls"), "env", Map.of("A=B", "1")),
        "queues.q.options.env.A=B: is not a valid variable name");
    refused(Map.of("command", List.of("ls"), "grace", "soon"),
        "queues.q.options.grace: 'soon' is not a duration; write it like 250ms, 30s, 5m, 2h,"
            + " 1d or PT30S");
    refused(Map.of("command", List.of("ls"), "max_output", 10),
        "queues.q.options.max_output: must be between 1024 and 16777216, was 10");
  }

  @Test
  void inheritEnvMustBeTrueFalseOrAListOfNames() {
    Map<String, Object> ok = Map.of("command", List.of("ls"));
    String expected = "must be true, false or a list of variable names such as [PATH, HOME,"
        + " LANG, \"LC_*\"], was ";
    refused(with(ok, "inherit_env", "yes"), "queues.q.options.inherit_env: " + expected + "'yes'");
    refused(with(ok, "inherit_env", "PATH"), "queues.q.options.inherit_env: " + expected
        + "'PATH'; write a single name as a list: [PATH]");
    refused(with(ok, "inherit_env", Map.of("PATH", true)),
        "queues.q.options.inherit_env: " + expected + "object");
    refused(with(ok, "inherit_env", List.of("PATH", 3)),
        "queues.q.options.inherit_env[1]: must be a variable name such as PATH, was number");
    refused(with(ok, "inherit_env", List.of("PATH HOME")),
        "queues.q.options.inherit_env[0]: 'PATH HOME' is not a variable name; write one name"
            + " per element (letters, digits and '_', not starting with a digit), optionally"
            + " ending in '*' for every name that starts so, e.g. [PATH, HOME, LANG, \"LC_*\"]");
    refused(with(ok, "inherit_env", List.of("LC_*_X")),
        "queues.q.options.inherit_env[0]: 'LC_*_X' is not a variable name; write one name"
            + " per element (letters, digits and '_', not starting with a digit), optionally"
            + " ending in '*' for every name that starts so, e.g. [PATH, HOME, LANG, \"LC_*\"]");
    refused(with(ok, "inherit_env", List.of("*")),
        "queues.q.options.inherit_env[0]: '*' would pass every variable; write inherit_env:"
            + " true for that (the server's secrets are kept back either way)");
    refused(with(ok, "inhert_env", false),
        "queues.q.options.inhert_env: unknown option (did you mean 'inherit_env'?); known"
            + " options are command, dir, inherit_env, env, grace, max_output");
    // What is right is taken: booleans, their text (as ${VAR:-true} gives), lists, an empty one.
    for (Object v : List.of(true, false, "false", " TRUE ", List.of(), List.of("PATH", "LC_*"))) {
      factory.create(Handlers.settings(with(ok, "inherit_env", v)));
    }
  }

  @Test
  void anEnvValueIsTextOrASecretAndErrorsNeverShowIt() {
    Map<String, Object> ok = Map.of("command", List.of("ls"));
    refused(with(ok, "env", Map.of("DB", Map.of("secrte", "hunter2"))),
        "queues.q.options.env.DB.secrte: unknown key (did you mean 'secret'?); a value is text,"
            + " or {secret: text} for a secret");
    refused(with(ok, "env", Map.of("DB", Map.of("secret", "hunter2", "note", "x"))),
        "queues.q.options.env.DB.note: unknown key; a value is text, or {secret: text} for a"
            + " secret");
    refused(with(ok, "env", Map.of("DB", Map.of("secret", List.of("hunter2")))),
        "queues.q.options.env.DB.secret: must be the secret's text, was array");
    refused(with(ok, "env", Map.of("DB", Map.of("secret", " "))),
        "queues.q.options.env.DB.secret: must not be empty (is a variable it reads unset?);"
            + " give the secret a value, or remove the entry");
    refused(with(ok, "env", Map.of("DB", Map.of())),
        "queues.q.options.env.DB.secret: must be the secret's text, was null");
    refused(with(ok, "env", Map.of("DB", Map.of("secret", "hun\0ter2"))),
        "queues.q.options.env.DB.secret: must not hold a NUL character");
    factory.create(Handlers.settings(with(ok, "env", Map.of("DB", Map.of("secret", "hunter2"),
        "N", 3, "B", true))));
  }

  private static Map<String, Object> with(Map<String, Object> options, String key,
      Object value) {
    Map<String, Object> out = new java.util.LinkedHashMap<>(options);
    out.put(key, value);
    return out;
  }

  @Test
  void bothHandlersAreFoundThroughTheServiceLoader() {
    assertThat(ServiceLoader.load(HandlerFactory.class).stream().map(p -> p.get().name()))
        .contains("exec", "http");
  }
}
