package io.errand.server.git;

import io.errand.api.NonRetryableException;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Sorts a failed git run into seed 000's categories and words the error: what happened, what to
 * check, then what git said (redacted). Categories another attempt cannot fix are
 * {@link NonRetryableException}s; the others are plain exceptions so the queue's retries apply.
 *
 * <p>Git has no machine-readable error codes (it exits 128 for nearly everything), so the
 * category comes from stderr text. Git runs with {@code LC_ALL=C}, which keeps that text in
 * English whatever the server's locale. Categories are tried in a fixed order because one
 * failure often prints several lines: an unknown repository over ssh says both "does not
 * appear to be a git repository" and "Could not read from remote repository".
 */
final class GitErrors {
  /** The categories, in the order they are recognised. */
  enum Category {
    DISK_FULL(false, "No space left on device|Disk quota exceeded|ENOSPC"),
    AUTH(true, "Authentication failed|could not read (Username|Password)|terminal prompts"
        + " disabled|Permission denied \\((publickey|password|keyboard-interactive)"
        + "|HTTP Basic: Access denied|returned error: 40[13]|Invalid username or password"
        + "|Host key verification failed"),
    BRANCH_MISSING(true, "Remote branch .* not found|couldn't find remote ref"),
    NOT_A_REPOSITORY(true, "does not appear to be a git repository|not a git repository"
        + "|repository '.*' (not found|does not exist)|Repository not found|returned error: 404"),
    NETWORK(false, "Could not resolve host|Failed to connect|Couldn't connect|Connection refused"
        + "|Connection timed out|Connection reset|Operation timed out|Network is unreachable"
        + "|No route to host|Temporary failure in name resolution|Could not resolve hostname"
        + "|ssh: connect to host|unable to access|early EOF|remote end hung up|RPC failed"
        + "|returned error: 5\\d\\d|SSL certificate|SSL_|TLS connection|gnutls"),
    PERMISSION(true, "Permission denied|Operation not permitted|Read-only file system"
        + "|dubious ownership"),
    OTHER(false, "");

    final boolean permanent;
    final Pattern pattern;

    Category(boolean permanent, String regex) {
      this.permanent = permanent;
      this.pattern = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    }
  }

  /**
   * What a failed run was doing, for the message.
   *
   * @param op          the git command, e.g. {@code clone}
   * @param url         the repository (printed redacted)
   * @param branch      the branch asked for, or null for the remote's default
   * @param dir         the dir arg
   * @param credentials the credentials reference, or null
   * @param secrets     values to blank out of anything git said
   */
  record Context(String op, String url, String branch, String dir, String credentials,
      Collection<String> secrets) {}

  private static final Pattern USERINFO = Pattern.compile("(://)[^/@\\s]+@");

  private GitErrors() {}

  /** The category of a run that printed {@code errors}. */
  static Category categorize(List<String> errors) {
    String text = String.join("\n", errors);
    for (Category c : Category.values()) {
      if (c != Category.OTHER && c.pattern.matcher(text).find()) {
        return c;
      }
    }
    return Category.OTHER;
  }

  /** The exception for a run that exited with {@code exit} after printing {@code errors}. */
  static RuntimeException failed(Context c, int exit, List<String> errors) {
    Category cat = categorize(errors);
    String said = errors.isEmpty() ? "exit code " + exit
        : redact(String.join(" | ", lastLines(errors, 4)), c.secrets());
    String what = describe(cat, c) + " (git " + c.op() + " said: " + said + ")";
    return cat.permanent ? new NonRetryableException(what) : new GitSyncException(what);
  }

  /** The exception for an executable that could not be started. */
  static NonRetryableException notInstalled(String git, IOException e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new NonRetryableException("git is not installed or cannot be run: starting '" + git
        + "' failed (" + why.toLowerCase(Locale.ROOT).replaceFirst("^cannot run program [^:]*: ",
        "") + "); install git on the server or set the handler's git option to its full path");
  }

  /** The exception for a run killed by the handler's time-out: retried (slow network). */
  static GitSyncException timedOut(Context c, Duration timeout) {
    return new GitSyncException("git " + c.op() + " of " + redact(c.url(), c.secrets())
        + " did not finish within " + human(timeout) + " and was killed: check that the"
        + " repository is reachable and not huge, or raise the handler's timeout option");
  }

  /** The exception for a local file operation that failed (creating, moving, deleting dirs). */
  static RuntimeException fileFailed(String doing, IOException e, String root) {
    String msg = e.getClass().getSimpleName() + ": " + e.getMessage();
    if (Category.DISK_FULL.pattern.matcher(msg).find()) {
      return new GitSyncException("disk full while " + doing + " (" + msg + "): free space on"
          + " the disk of the workspace " + root);
    }
    if (e instanceof java.nio.file.AccessDeniedException
        || Category.PERMISSION.pattern.matcher(msg).find()) {
      return new NonRetryableException("permission denied while " + doing + " (" + msg
          + "): check that the server's user may write to the workspace " + root);
    }
    return new GitSyncException("failed while " + doing + " (" + msg + ")");
  }

  /** {@code text} with the password of any {@code scheme://user:pass@} and every secret blanked. */
  static String redact(String text, Collection<String> secrets) {
    if (text == null) {
      return null;
    }
    String out = USERINFO.matcher(text).replaceAll("$1****@");
    for (String s : secrets) {
      if (s != null && !s.isEmpty()) {
        out = out.replace(s, "****");
      }
    }
    return out;
  }

  private static String describe(Category cat, Context c) {
    String url = redact(c.url(), c.secrets());
    return switch (cat) {
      case DISK_FULL -> "disk full during git " + c.op() + " of " + url
          + ": free space on the disk of the workspace and retry";
      case AUTH -> c.credentials() == null
          ? "authentication required for " + url + ": pass the credentials arg naming an entry"
              + " of the handler's credentials option, or check the ssh key of the server's user"
          : "authentication failed for " + url + " with credentials '" + c.credentials()
              + "': check the user name and password or token it points to, and that they may"
              + " read the repository";
      case BRANCH_MISSING -> "branch '" + c.branch() + "' does not exist in " + url
          + ": check the branch arg (leave it out for the repository's default branch)";
      case NOT_A_REPOSITORY -> "not a git repository: " + url + " (or the checkout in dir '"
          + c.dir() + "'): check the url arg; if the checkout is damaged, run with force_clean";
      case NETWORK -> "cannot reach " + url + ": check the host name, the network and any proxy"
          + " of the server; the task is retried";
      case PERMISSION -> "permission denied during git " + c.op() + " in dir '" + c.dir()
          + "': check that the server's user may write to the workspace and owns the checkout";
      case OTHER -> "git " + c.op() + " of " + url + " failed";
    };
  }

  private static List<String> lastLines(List<String> lines, int n) {
    return lines.subList(Math.max(0, lines.size() - n), lines.size());
  }

  /** {@code 90 s}, {@code 5 min}, {@code 2 h 5 min}: for messages people read. */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 120) {
      return s + " s";
    }
    long min = d.toMinutes();
    if (min < 120) {
      return min + " min";
    }
    return min / 60 + " h" + (min % 60 == 0 ? "" : " " + min % 60 + " min");
  }
}
