package io.errand.common;

/**
 * A setting that is missing or wrong. Its message is one line: the key path (as in
 * {@code queues.mail.options.url}), then what is wrong and what would be right. The config
 * loader adds the file's name in front.
 */
public final class SettingException extends RuntimeException {
  private final String path;
  private final String problem;

  /**
   * A problem with the setting at {@code path}.
   *
   * @param path    the dotted key path, e.g. {@code queues.mail.workers}
   * @param problem what is wrong and what would be right, e.g. {@code must be >= 1, was -3}
   */
  public SettingException(String path, String problem) {
    super(path + ": " + problem);
    this.path = path;
    this.problem = problem;
  }

  /** The dotted key path of the setting. */
  public String path() {
    return path;
  }

  /** What is wrong, without the path. */
  public String problem() {
    return problem;
  }
}
