package io.errand.server.git;

import io.errand.api.NonRetryableException;
import io.errand.common.Suggestions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A git-sync task's arguments, checked. Every problem is a {@link NonRetryableException}: no
 * retry fixes a bad argument.
 *
 * @param url         the repository: {@code https://}, {@code http://}, {@code ssh://},
 *                    {@code git://}, {@code file://}, scp-like {@code user@host:path}, or an
 *                    absolute local path
 * @param branch      the branch, or empty for the remote's default
 * @param dir         the target directory's name inside the workspace
 * @param sync        pull even when the checkout is fresh
 * @param forceClean  replace the directory with a fresh clone
 * @param credentials a reference to an entry of the handler's {@code credentials} option, or
 *                    null
 */
record SyncArgs(String url, Optional<String> branch, String dir, boolean sync,
    boolean forceClean, String credentials) {

  static final List<String> KEYS = List.of("url", "branch", "dir", "sync", "force_clean",
      "credentials");
  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");
  private static final List<String> SCHEMES = List.of("https", "http", "ssh", "git", "file",
      "git+ssh", "ssh+git");
  /** {@code [user@]host:path}, git's scp-like ssh syntax: a colon before any slash. */
  private static final Pattern SCP = Pattern.compile("^(?:[^@/:\\s]+@)?[^@/:\\s]+:[^\\s].*");
  /** {@code scheme://user:password@}: a password in the URL would land in argv and .git/config. */
  private static final Pattern PASSWORD = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://[^/@]*:"
      + "[^/@]*@");
  /** Conservative branch names: what git accepts, less what could be read as an option. */
  private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/+-]+");

  /**
   * Reads the task's arguments: a JSON object (a {@code Map}).
   *
   * @throws NonRetryableException naming the argument that is missing or wrong
   */
  static SyncArgs parse(Object args) {
    if (!(args instanceof Map<?, ?> map)) {
      throw new NonRetryableException("git-sync args must be a JSON object like {\"url\":"
          + " \"https://host/repo.git\", \"dir\": \"name\"}, was "
          + (args == null ? "null" : args.getClass().getSimpleName()));
    }
    for (Object k : map.keySet()) {
      if (!KEYS.contains(String.valueOf(k))) {
        throw new NonRetryableException("unknown git-sync arg '" + k + "'"
            + Suggestions.hint(String.valueOf(k), KEYS) + "; known args are "
            + String.join(", ", KEYS));
      }
    }
    String url = text(map, "url");
    if (url == null) {
      throw new NonRetryableException("url is required: the repository to sync");
    }
    checkUrl(url);
    String branch = text(map, "branch");
    if (branch != null) {
      checkBranch(branch);
    }
    String dir = text(map, "dir");
    if (dir == null) {
      throw new NonRetryableException("dir is required: a directory name inside the"
          + " workspace, e.g. 'alice/project'");
    }
    return new SyncArgs(url, Optional.ofNullable(branch), dir, bool(map, "sync"),
        bool(map, "force_clean"), text(map, "credentials"));
  }

  private static void checkUrl(String url) {
    if (url.chars().anyMatch(Character::isISOControl)) {
      throw new NonRetryableException("url must not contain control characters");
    }
    if (PASSWORD.matcher(url).find()) {
      throw new NonRetryableException("url " + GitErrors.redact(url, List.of()) + " has a"
          + " password in it; put it in the handler's credentials option and pass the"
          + " credentials arg instead, so it never shows in process listings or .git/config");
    }
    if (url.startsWith("-")) {
      throw new NonRetryableException("url '" + url + "' starts with '-'");
    }
    var scheme = SCHEME.matcher(url);
    if (scheme.find()) {
      if (!SCHEMES.contains(scheme.group(1).toLowerCase())) {
        throw new NonRetryableException("url scheme '" + scheme.group(1) + "' is not allowed;"
            + " use one of " + String.join(", ", SCHEMES));
      }
      return;
    }
    if (url.contains("::")) {
      // <transport>::<address> runs a remote helper, e.g. ext:: runs any command.
      throw new NonRetryableException("url '" + url + "' names a git transport helper ('::');"
          + " use an https, ssh, git or file URL");
    }
    if (url.startsWith("/") || SCP.matcher(url).matches()) {
      return;
    }
    throw new NonRetryableException("url '" + url + "' is neither a URL nor an absolute path;"
        + " write https://host/repo.git, user@host:repo.git, file:///path or /path");
  }

  private static void checkBranch(String b) {
    if (!BRANCH.matcher(b).matches() || b.startsWith("-") || b.startsWith("/")
        || b.startsWith(".") || b.endsWith("/") || b.endsWith(".") || b.endsWith(".lock")
        || b.contains("..") || b.contains("//") || b.contains("/.")) {
      throw new NonRetryableException("branch '" + b + "' is not a branch name git-sync"
          + " accepts: letters, digits and . _ / + -, not starting with '-', '.' or '/', without"
          + " '..'");
    }
  }

  private static String text(Map<?, ?> map, String key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new NonRetryableException(key + " must be text, was " + v.getClass()
          .getSimpleName());
    }
    return s.isBlank() ? null : s.strip();
  }

  private static boolean bool(Map<?, ?> map, String key) {
    Object v = map.get(key);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw new NonRetryableException(key + " must be true or false, was " + v);
  }
}
