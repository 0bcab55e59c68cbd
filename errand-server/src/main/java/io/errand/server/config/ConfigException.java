package io.errand.server.config;

import io.errand.common.SettingException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A config that cannot be used. The message is one line, so that start-up can print it as it
 * is: {@code <file>: <key.path>: <what is wrong and what would be right>}, for example
 * {@code errand.yaml: queues.mail.workers: must be between 1 and 100000, was -3}. Problems with
 * the file as a whole (missing, unreadable, bad syntax) have no key path and read
 * {@code <file>: <problem>}.
 */
public final class ConfigException extends RuntimeException {
  private final transient Path file;
  private final String path;
  private final String problem;

  /**
   * A problem with the key at {@code path} in {@code file}.
   *
   * @param file    the file, as the user named it; null for the built-in defaults
   * @param path    the dotted key path, e.g. {@code queues.mail.workers}; empty for the whole file
   * @param problem what is wrong and what would be right, on one line
   */
  public ConfigException(Path file, String path, String problem) {
    super(format(file, path, problem));
    this.file = file;
    this.path = Objects.requireNonNullElse(path, "");
    this.problem = problem;
  }

  /**
   * The same problem as {@code e}, found in {@code file}: how the server reports a handler's
   * options that {@code HandlerFactory.create} refused.
   *
   * @param file the file the handler's options came from
   * @param e    the handler's complaint, whose path is already the key path in that file
   */
  public ConfigException(Path file, SettingException e) {
    this(file, e.path(), e.problem());
    initCause(e);
  }

  /** The file the problem is in, or null when it is in the built-in defaults. */
  public Path file() {
    return file;
  }

  /** The dotted key path of the bad setting, or the empty string for the whole file. */
  public String path() {
    return path;
  }

  /** What is wrong and what would be right, without the file and key path. */
  public String problem() {
    return problem;
  }

  private static String format(Path file, String path, String problem) {
    StringBuilder sb = new StringBuilder();
    sb.append(file == null ? "(defaults)" : file.toString()).append(": ");
    if (path != null && !path.isEmpty()) {
      sb.append(path).append(": ");
    }
    // A multi-line message would be cut apart by log formats; keep it to one line whatever the
    // problem text (a parser's message, say) contains.
    sb.append(problem.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip());
    return sb.toString();
  }
}
