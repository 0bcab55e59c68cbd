package io.errand.server.handler;

import io.errand.api.TaskHandler;
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
 *   <li>{@code env}: variables added to the server's environment.
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

  /** A factory; the server finds it through {@link java.util.ServiceLoader}. */
  public ExecHandlerFactory() {}

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
    settings.allowOnly("command", "dir", "env", "grace", "max_output");
    CommandTemplate command = CommandTemplate.read(settings, "command");
    Path dir = settings.string("dir").filter(s -> !s.isBlank()).map(Path::of).orElse(null);
    Map<String, String> env = MapOption.read(settings, "env");
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
        throw new SettingException(settings.pathOf("env") + "." + name,
            "is not a valid variable name");
      }
      if (e.getValue().indexOf('\0') >= 0) {
        throw new SettingException(settings.pathOf("env") + "." + name,
            "must not hold a NUL character");
      }
    }
    Duration grace = settings.duration("grace", DEFAULT_GRACE);
    int maxOutput = settings.integer("max_output", DEFAULT_MAX_OUTPUT, 1024, 16 << 20);
    return new ExecHandler(command, dir, env, grace, maxOutput);
  }
}
