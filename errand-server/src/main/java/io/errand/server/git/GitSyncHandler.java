package io.errand.server.git;

import io.errand.api.NonRetryableException;
import io.errand.api.TaskContext;
import io.errand.api.TaskHandler;
import io.errand.server.git.Credentials.Credential;
import io.errand.server.git.SyncRules.Action;
import io.errand.server.git.SyncRules.Decision;
import io.errand.server.git.SyncRules.Target;
import io.errand.server.handler.SecretEnv;
import io.errand.server.process.Children;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The git-sync handler: checks a task's args, applies {@link SyncRules}, and runs the clone or
 * pull. Tasks for the same directory run one at a time (a lock per directory, held for the
 * whole task), so two syncs never clone into or reset the same checkout at once.
 */
final class GitSyncHandler implements TaskHandler<Object, Object> {
  private static final Logger log = LoggerFactory.getLogger(GitSyncHandler.class);

  /**
   * The handler's options, checked.
   *
   * @param timeout    the time-out of each git process
   * @param staleAfter how old an update may be before {@code sync=false} pulls
   * @param git        the git executable
   */
  record Options(Duration timeout, Duration staleAfter, String git, Children children) {}

  private final Options options;
  private final Workspace workspace;
  private final Credentials credentials;
  private final Map<String, String> environment;
  private final SecretEnv secretEnv;
  /** One per directory ever synced; a few bytes each, so never removed. */
  private final Map<Path, ReentrantLock> locks = new ConcurrentHashMap<>();

  GitSyncHandler(Options options, Workspace workspace, Credentials credentials,
      Map<String, String> environment, SecretEnv secretEnv) {
    this.options = options;
    this.workspace = workspace;
    this.credentials = credentials;
    this.environment = environment;
    this.secretEnv = secretEnv;
  }

  @Override
  public Object run(TaskContext<Object> ctx) throws Exception {
    SyncArgs args = SyncArgs.parse(ctx.args());
    Path target = workspace.resolve(args.dir());
    Credential credential = args.credentials() == null ? null
        : credentials.resolve(args.credentials());
    List<String> secrets = credential == null ? List.of() : credential.secrets();
    GitStopper stopper = new GitStopper();
    ctx.onCancel(stopper::stop);
    GitErrors.Context context = new GitErrors.Context("", args.url(),
        args.branch().orElse(null), args.dir(), args.credentials(), secrets);
    Git git = new Git(options.git(), options.timeout(), Git.environment(environment, credential,
        secretEnv.names()),
        stopper, context, options.children());
    ReentrantLock lock = locks.computeIfAbsent(target, k -> new ReentrantLock());
    if (!lock.tryLock()) {
      ctx.progress(0, 0, "waiting for another sync of dir '" + args.dir() + "'");
      lock.lockInterruptibly(); // a cancel interrupts the wait
    }
    try {
      ctx.checkpoint();
      return sync(ctx, args, target, git, secrets);
    } finally {
      lock.unlock();
    }
  }

  private Map<String, Object> sync(TaskContext<Object> ctx, SyncArgs args, Path target, Git git,
      List<String> secrets) {
    Target now = inspect(target, git, args.forceClean());
    Decision d = SyncRules.decide(args.dir(), now, args.sync(), args.forceClean(), args.branch(),
        Instant.now(), options.staleAfter());
    log.info("git-sync task {}: {} dir '{}' from {} ({})", ctx.id(), d.action().word, args.dir(),
        GitErrors.redact(args.url(), secrets), d.reason());
    return switch (d.action()) {
      case SKIP -> result(d, args, now.branch().orElse(null), git.head(target).orElse(null));
      case CLONE, RECLONE -> cloneInto(ctx, args, target, git, d, secrets);
      case PULL -> pull(ctx, args, target, git, now, d, secrets);
    };
  }

  private Target inspect(Path target, Git git, boolean forceClean) {
    boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
    boolean checkout = exists && Files.isDirectory(target.resolve(".git"),
        LinkOption.NOFOLLOW_LINKS);
    if (!checkout || forceClean) {
      // A checkout about to be replaced is not asked anything: it may be the broken one.
      return new Target(exists, checkout, Optional.empty(), Optional.empty());
    }
    try {
      return new Target(true, true, LastUpdate.of(target), git.branch(target));
    } catch (IOException e) {
      throw GitErrors.fileFailed("reading " + LastUpdate.marker(target), e,
          workspace.root().toString());
    }
  }

  /**
   * Clones into a new directory under {@code .errand-tmp} and renames it into place only once
   * the clone is complete and the task is still wanted. On a re-clone the old checkout is moved
   * aside first and put back if the rename fails, so a failed re-clone keeps the old one.
   */
  private Map<String, Object> cloneInto(TaskContext<Object> ctx, SyncArgs args, Path target,
      Git git, Decision d, List<String> secrets) {
    String root = workspace.root().toString();
    Path temp;
    try {
      temp = workspace.newTempDir();
    } catch (IOException e) {
      throw GitErrors.fileFailed("creating a directory for the clone", e, root);
    }
    boolean placed = false;
    try {
      ctx.progress(0, 100, "cloning " + GitErrors.redact(args.url(), secrets));
      git.cloneInto(args.url(), args.branch(), temp, progress(ctx, secrets));
      String commit = git.head(temp).orElse(null);
      String branch = git.branch(temp).orElse(args.branch().orElse(null));
      LastUpdate.touch(temp, commit);
      ctx.checkpoint(); // a cancelled task must not claim the directory
      if (d.action() == Action.RECLONE) {
        replace(target, temp);
      } else {
        workspace.moveIntoPlace(temp, target);
      }
      placed = true;
      ctx.progress(100, 100, d.action().word + " " + shortCommit(commit));
      return result(d, args, branch, commit);
    } catch (IOException e) {
      throw GitErrors.fileFailed("putting the clone in place as dir '" + args.dir() + "'", e,
          root);
    } finally {
      if (!placed) {
        Workspace.deleteQuietly(temp);
      }
    }
  }

  private void replace(Path target, Path fresh) throws IOException {
    Path old = workspace.moveAside(target);
    try {
      workspace.moveIntoPlace(fresh, target);
    } catch (IOException e) {
      Files.move(old, target); // the old checkout goes back where it was
      throw e;
    }
    Workspace.deleteQuietly(old.getParent());
  }

  /**
   * Fetches the branch and moves the checkout to it. A failed or stopped fetch leaves the
   * checkout as it was; only the final local checkout step changes files.
   */
  private Map<String, Object> pull(TaskContext<Object> ctx, SyncArgs args, Path target, Git git,
      Target now, Decision d, List<String> secrets) {
    String origin = git.originUrl(target).orElse("(none)");
    if (!stripSlash(origin).equals(stripSlash(args.url()))) {
      throw new NonRetryableException("dir '" + args.dir() + "' holds a clone of "
          + GitErrors.redact(origin, secrets) + ", not of " + GitErrors.redact(args.url(),
          secrets) + ": choose another dir, or run with force_clean to replace it");
    }
    String branch = args.branch().or(now::branch).orElseThrow(() -> new NonRetryableException(
        "the checkout in dir '" + args.dir() + "' has no branch checked out (detached HEAD):"
            + " pass the branch arg, or run with force_clean"));
    ctx.progress(0, 100, "fetching " + branch + " from " + GitErrors.redact(args.url(),
        secrets));
    Consumer<String> progress = progress(ctx, secrets);
    git.fetch(target, branch, progress);
    ctx.checkpoint(); // stop before touching the files if the task is no longer wanted
    git.resetTo(target, branch, progress);
    String commit = git.head(target).orElse(null);
    try {
      LastUpdate.touch(target, commit);
    } catch (IOException e) {
      throw GitErrors.fileFailed("writing " + LastUpdate.marker(target), e,
          workspace.root().toString());
    }
    ctx.progress(100, 100, "pulled " + shortCommit(commit));
    return result(d, args, branch, commit);
  }

  private static Consumer<String> progress(TaskContext<Object> ctx, List<String> secrets) {
    GitProgress parser = new GitProgress();
    return line -> {
      if (log.isDebugEnabled()) {
        log.debug("git task {}: {}", ctx.id(), GitErrors.redact(line, secrets));
      }
      parser.feed(line).ifPresent(u -> ctx.progress(u.percent(), 100, u.message()));
    };
  }

  private static Map<String, Object> result(Decision d, SyncArgs args, String branch,
      String commit) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("action", d.action().word);
    r.put("dir", args.dir());
    r.put("branch", branch);
    r.put("commit", commit);
    r.put("reason", d.reason());
    return r;
  }

  private static String stripSlash(String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  private static String shortCommit(String commit) {
    return commit == null ? "(empty repository)" : commit.substring(0, Math.min(12,
        commit.length()));
  }
}
