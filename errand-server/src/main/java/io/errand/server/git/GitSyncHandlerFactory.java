package io.errand.server.git;

import io.errand.api.TaskHandler;
import io.errand.common.SettingException;
import io.errand.server.handler.HandlerFactory;
import io.errand.server.handler.HandlerSettings;
import io.errand.server.process.Children;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@code git-sync} handler: keeps a directory of a workspace in sync with a git
 * repository, by seed 000's rules (clone when missing, pull when asked or when stale, re-clone
 * on {@code force_clean}), running the {@code git} command line. {@code docs/handlers.md}
 * describes its options, args, result and errors.
 *
 * <p>Options: {@code workspace} (default {@code <dataDir>/workspace}; a relative path is taken
 * from the data directory), {@code timeout} of each git process (default 300 s),
 * {@code stale_after} (default 60 min), {@code git} (default {@code git} on the PATH) and
 * {@code credentials} (reference name to {@code {env: VAR}} or {@code {file: path}}).
 */
public final class GitSyncHandlerFactory implements HandlerFactory {
  /** The name configs use: {@code handler: git-sync}. */
  public static final String NAME = "git-sync";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
  static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(60);

  private final Map<String, String> environment;

  /** The factory {@link java.util.ServiceLoader} makes: secrets come from the process env. */
  public GitSyncHandlerFactory() {
    this(System.getenv());
  }

  /** A factory whose handlers see {@code environment} instead of the process's (for tests). */
  GitSyncHandlerFactory(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * A git-sync handler for the queue of {@code settings}. Creates the workspace if it is missing
   * and deletes clones that a previous run of the server left unfinished in it.
   *
   * @throws SettingException naming the option that is wrong, or the workspace if it cannot be
   *     created
   */
  @Override
  public TaskHandler<Object, Object> create(HandlerSettings settings) {
    settings.allowOnly("workspace", "timeout", "stale_after", "git", "credentials");
    Path dataDir = settings.dataDir() == null ? Path.of("errand-data") : settings.dataDir();
    Path root = settings.string("workspace").filter(s -> !s.isBlank()).map(Path::of)
        .map(dataDir::resolve).orElse(dataDir.resolve("workspace"));
    Duration timeout = settings.duration("timeout", DEFAULT_TIMEOUT);
    if (timeout.isZero()) {
      throw new SettingException(settings.pathOf("timeout"), "must be positive, e.g. 300s");
    }
    Duration staleAfter = settings.duration("stale_after", DEFAULT_STALE_AFTER);
    String git = settings.string("git").filter(s -> !s.isBlank()).map(String::strip)
        .orElse("git");
    UnaryOperator<String> env = environment::get;
    Credentials credentials = Credentials.parse(settings, env);
    // Secrets of the server: no program a task runs inherits them, git included.
    settings.secretEnv().addAll(credentials.variables());
    Workspace workspace;
    try {
      workspace = Workspace.open(root);
    } catch (IOException e) {
      throw new SettingException(settings.pathOf("workspace"), "cannot create " + root + " ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + "); choose a directory the"
          + " server's user may write to");
    }
    // Nothing of this handler runs yet, and a git run never outlives the timeout.
    workspace.sweep(timeout.plusMinutes(1));
    return new GitSyncHandler(new GitSyncHandler.Options(timeout, staleAfter, git,
        Children.of(settings.dataDir())), workspace,
        credentials, environment, settings.secretEnv());
  }
}
