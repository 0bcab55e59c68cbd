package io.errand.server.git;

import io.errand.server.git.Credentials.Credential;
import io.errand.server.process.Children;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The git commands one task runs, each a {@link GitProcess} with the same executable, time-out,
 * environment and stopper, and failures turned into exceptions by {@link GitErrors}.
 *
 * <p>Credentials go to git only through the environment, as {@code http.extraHeader} set by
 * {@code GIT_CONFIG_COUNT/KEY/VALUE} (git 2.31+): never in argv (visible to every user in
 * process listings), never in the URL (stored in {@code .git/config}), never in a file. An
 * environment is readable only by the same user and root. A helper script for
 * {@code GIT_ASKPASS} would need a file on disk and a shell; the header needs neither.
 */
final class Git {
  /** Inherited variables that would point git elsewhere, leak secrets into traces, or prompt. */
  private static final Pattern DROPPED = Pattern.compile("GIT_(DIR|WORK_TREE|INDEX_FILE"
      + "|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|COMMON_DIR|NAMESPACE|PREFIX"
      + "|CEILING_DIRECTORIES|DISCOVERY_ACROSS_FILESYSTEM|CONFIG|CONFIG_PARAMETERS|CONFIG_COUNT"
      + "|CONFIG_KEY_\\d+|CONFIG_VALUE_\\d+|ASKPASS|TRACE\\w*|CURL_VERBOSE)|SSH_ASKPASS|LANGUAGE"
      + "|LANG|LC_\\w+");

  private final String executable;
  private final Duration timeout;
  private final Map<String, String> env;
  private final GitStopper stopper;
  private final GitErrors.Context context;
  private final Children children;

  /**
   * Commands for one task.
   *
   * @param env     from {@link #environment}
   * @param context  the task's url, branch, dir and credentials, for error messages
   * @param children where git is started and recorded
   */
  Git(String executable, Duration timeout, Map<String, String> env, GitStopper stopper,
      GitErrors.Context context, Children children) {
    this.executable = executable;
    this.timeout = timeout;
    this.env = env;
    this.stopper = stopper;
    this.context = context;
    this.children = children;
  }

  /**
   * The variables git runs with: the server's own less {@link #DROPPED} and less the server's
   * secrets, plus no prompts, no
   * credential helpers (which could store the secret), English messages for
   * {@link GitErrors}, only the transports git-sync accepts, and the credential if any.
   *
   * @param inherited  the server's environment
   * @param credential the task's credential, or null
   * @param secrets    the names of the server's secret variables ({@code ERRAND_TOKEN}...)
   * @return variables to set; a null value removes an inherited one
   */
  static Map<String, String> environment(Map<String, String> inherited, Credential credential,
      Set<String> secrets) {
    Map<String, String> env = new HashMap<>();
    inherited.keySet().stream().filter(k -> DROPPED.matcher(k).matches())
        .forEach(k -> env.put(k, null));
    // Removed whether or not they are in inherited: the process's own environment may differ.
    secrets.forEach(k -> env.put(k, null));
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GCM_INTERACTIVE", "never");
    env.put("LC_ALL", "C");
    env.put("GIT_ALLOW_PROTOCOL", "file:git:http:https:ssh");
    if (!inherited.containsKey("GIT_SSH") && !inherited.containsKey("GIT_SSH_COMMAND")) {
      // ssh would ask on the terminal about an unknown host key or a key's passphrase.
      env.put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    }
    List<String[]> config = new ArrayList<>();
    config.add(new String[] {"credential.helper", ""}); // "" clears the configured helpers
    if (credential != null) {
      config.add(new String[] {"http.extraHeader", "Authorization: "
          + credential.authorization()});
    }
    env.put("GIT_CONFIG_COUNT", Integer.toString(config.size()));
    for (int i = 0; i < config.size(); i++) {
      env.put("GIT_CONFIG_KEY_" + i, config.get(i)[0]);
      env.put("GIT_CONFIG_VALUE_" + i, config.get(i)[1]);
    }
    return env;
  }

  /** Clones into the empty directory {@code into}, checking out {@code branch} or the default. */
  void cloneInto(String url, Optional<String> branch, Path into, Consumer<String> lines) {
    List<String> args = new ArrayList<>(List.of("clone", "--progress"));
    branch.ifPresent(b -> args.addAll(List.of("--branch", b)));
    args.addAll(List.of("--", url, into.toString()));
    check("clone", into.getParent(), args, lines);
  }

  /** Fetches {@code branch} of origin into {@code refs/remotes/origin/<branch>}. */
  void fetch(Path dir, String branch, Consumer<String> lines) {
    check("fetch", dir, List.of("fetch", "--progress", "--", "origin",
        "+refs/heads/" + branch + ":refs/remotes/origin/" + branch), lines);
  }

  /**
   * Makes {@code branch} point at the fetched commit and checks it out, discarding local edits
   * of tracked files: the checkout is a mirror the server owns.
   */
  void resetTo(Path dir, String branch, Consumer<String> lines) {
    check("checkout", dir, List.of("checkout", "--progress", "--force", "-B", branch,
        "refs/remotes/origin/" + branch, "--"), lines);
  }

  /** The commit checked out, or empty in a repository without commits. */
  Optional<String> head(Path dir) {
    return optional("rev-parse", dir, List.of("rev-parse", "--verify", "--quiet",
        "HEAD^{commit}"));
  }

  /** The branch checked out, or empty when HEAD is detached. */
  Optional<String> branch(Path dir) {
    return optional("symbolic-ref", dir, List.of("symbolic-ref", "--quiet", "--short", "HEAD"));
  }

  /** The URL of the checkout's origin, or empty if it has none. */
  Optional<String> originUrl(Path dir) {
    return optional("config", dir, List.of("config", "--get", "remote.origin.url"));
  }

  /** Runs a query whose exit code 1 means "no such thing"; other failures throw. */
  private Optional<String> optional(String op, Path dir, List<String> args) {
    GitProcess.Result r = run(op, dir, args, line -> { });
    if (r.ok()) {
      return r.stdout().isEmpty() ? Optional.empty() : Optional.of(r.stdout());
    }
    if (r.exit() == 1) {
      return Optional.empty();
    }
    throw GitErrors.failed(context(op), r.exit(), r.errors());
  }

  private void check(String op, Path dir, List<String> args, Consumer<String> lines) {
    GitProcess.Result r = run(op, dir, args, lines);
    if (!r.ok()) {
      throw GitErrors.failed(context(op), r.exit(), r.errors());
    }
  }

  private GitProcess.Result run(String op, Path dir, List<String> args, Consumer<String> lines) {
    List<String> argv = new ArrayList<>(args.size() + 1);
    argv.add(executable);
    argv.addAll(args);
    GitProcess.Result r;
    try {
      r = new GitProcess(argv, dir, env, timeout, lines, children).run(stopper);
    } catch (IOException e) {
      throw GitErrors.notInstalled(executable, e);
    }
    return switch (r.end()) {
      case EXITED -> r;
      case TIMED_OUT -> throw GitErrors.timedOut(context(op), timeout);
      case STOPPED -> throw new CancellationException("git " + op + " was stopped: the task was"
          + " cancelled, timed out, or the server is shutting down");
    };
  }

  private GitErrors.Context context(String op) {
    GitErrors.Context c = context;
    return new GitErrors.Context(op, c.url(), c.branch(), c.dir(), c.credentials(), c.secrets());
  }
}
