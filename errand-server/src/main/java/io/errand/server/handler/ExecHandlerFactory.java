package io.errand.server.handler;

import io.errand.api.TaskHandler;
import io.errand.common.SettingException;
import io.errand.server.process.Children;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The built-in {@code exec} handler: runs a configured program for each task, never through a
 * shell. Options:
 *
 * <ul>
 *   <li>{@code command} (required): the program and its arguments as a list. An argument that
 *       is exactly {@code {name}} is filled with the task's arg {@code name}; the program itself
 *       must be written out.
 *   <li>{@code dir}: the working directory (default: the server's).
 *   <li>{@code inherit_env}: what the program gets of the server's environment: {@code true}
 *       (the default) all of it but the server's secrets ({@link SecretEnv}), {@code false}
 *       none of it, or a list of names (a trailing {@code *} matches a prefix).
 *   <li>{@code env}: variables set for the program; a value is text, or {@code {secret: text}}
 *       for one that is masked wherever the program's output is shown or stored.
 *   <li>{@code grace}: how long the program may take to exit after TERM before it is KILLed
 *       (default 5s).
 *   <li>{@code max_output}: the most characters of stdout kept for the result, and the longest
 *       line read whole (default 65536).
 * </ul>
 *
 * <p>{@code docs/handlers.md} describes the progress and result lines a program may print.
 */
public final class ExecHandlerFactory implements HandlerFactory {
  /** The default time between TERM and KILL. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
  /** The default {@code max_output}. */
  public static final int DEFAULT_MAX_OUTPUT = 65_536;

  private final Map<String, String> environment;

  /**
   * A factory; the server finds it through {@link java.util.ServiceLoader}. Programs start from
   * the server's environment.
   */
  public ExecHandlerFactory() {
    this(System.getenv());
  }

  /** A factory whose programs start from {@code environment} instead of the process's (tests). */
  ExecHandlerFactory(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public String name() {
    return "exec";
  }

  /**
   * An exec handler for {@code settings}.
   *
   * @throws SettingException if {@code command} is missing or has a placeholder that is not a
   *     whole argument or stands for the program, or another option is wrong or unknown
   */
  @Override
  public TaskHandler<Object, Object> create(HandlerSettings settings) {
    settings.allowOnly("command", "dir", "inherit_env", "env", "grace", "max_output");
    CommandTemplate command = CommandTemplate.read(settings, "command");
    Path dir = settings.string("dir").filter(s -> !s.isBlank()).map(Path::of).orElse(null);
    ExecEnvironment env = ExecEnvironment.read(settings, environment);
    Duration grace = settings.duration("grace", DEFAULT_GRACE);
    int maxOutput = settings.integer("max_output", DEFAULT_MAX_OUTPUT, 1024, 16 << 20);
    return new ExecHandler(command, dir, env, grace, maxOutput,
        Children.of(settings.dataDir()));
  }
}
