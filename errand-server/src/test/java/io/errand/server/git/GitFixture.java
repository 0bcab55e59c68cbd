package io.errand.server.git;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.Backoff;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.errand.server.handler.HandlerSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Real git repositories on disk and a real Errand with one {@code git} queue running the
 * git-sync handler, for the handler's tests.
 */
final class GitFixture implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path base;
  final Path dataDir;
  final Path workspace;
  final List<TaskEvent> events = new CopyOnWriteArrayList<>();
  private Errand errand;

  GitFixture(Path base) {
    this.base = base;
    this.dataDir = base.resolve("data");
    this.workspace = dataDir.resolve("workspace");
  }

  /** Starts the Errand with the handler made from {@code options}. */
  Errand start(Map<String, Object> options) {
    return start(options, Map.of(), 1);
  }

  /**
   * Starts the Errand: handler options, the environment the handler reads secrets from, and how
   * many attempts a task gets (retries without delay, so retry tests need no waiting).
   */
  Errand start(Map<String, Object> options, Map<String, String> env, int attempts) {
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.putAll(env);
    JsonNode node = JSON.valueToTree(options);
    var handler = new GitSyncHandlerFactory(environment).create(
        new HandlerSettings("git", "queues.git.options", node, dataDir));
    errand = Errand.builder()
        .queue(QueueSpec.builder("git", Object.class, handler).attempts(attempts)
            .backoff(Backoff.fixed(Duration.ZERO)).build())
        .listener("events", events::add)
        .build();
    return errand;
  }

  Errand errand() {
    return errand;
  }

  /** Submits a task and waits for its end. */
  TaskInfo run(Map<String, Object> args) {
    return finish(errand.submit("git", args));
  }

  TaskInfo finish(long id) {
    try {
      return errand.await(id).get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("task " + id + " did not finish: " + e, e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> result(TaskInfo info) {
    assertThat(info.status()).as("status of %s", info).hasToString("SUCCESS");
    return info.result(Map.class);
  }

  /** Args of a task: alternating keys and values. */
  static Map<String, Object> args(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A bare repository with one commit on {@code main}, and a work tree to make more. */
  Upstream upstream(String name) {
    return new Upstream(base.resolve("upstream").resolve(name));
  }

  /** What is left in the workspace's temporary directory (nothing, after any task). */
  List<Path> leftovers() throws IOException {
    Path tmp = workspace.resolve(Workspace.TMP);
    if (!Files.isDirectory(tmp)) {
      return List.of();
    }
    try (var s = Files.list(tmp)) {
      return s.toList();
    }
  }

  @Override
  public void close() {
    if (errand != null) {
      errand.close();
    }
  }

  /** Runs the real git in {@code dir} and returns its stdout; fails the test if git fails. */
  static String git(Path dir, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add("git");
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("GIT_AUTHOR_NAME", "Test");
    pb.environment().put("GIT_AUTHOR_EMAIL", "test@example.com");
    pb.environment().put("GIT_COMMITTER_NAME", "Test");
    pb.environment().put("GIT_COMMITTER_EMAIL", "test@example.com");
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("git %s: %s", argv, out).isZero();
      return out.trim();
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A repository to sync from: a bare one, fed by pushes from a work tree beside it. */
  static final class Upstream {
    final Path bare;
    final Path work;

    Upstream(Path dir) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      this.bare = dir.resolve("repo.git");
      this.work = dir.resolve("work");
      git(dir, "init", "--quiet", "--bare", "--initial-branch=main", bare.toString());
      git(dir, "init", "--quiet", "--initial-branch=main", work.toString());
      git(work, "remote", "add", "origin", bare.toString());
      commit("README", "first\n");
    }

    String url() {
      return "file://" + bare;
    }

    /** Commits {@code content} as {@code file} on the current branch, pushes it, returns it. */
    String commit(String file, String content) {
      write(file, content.getBytes(StandardCharsets.UTF_8));
      return commitAll("change " + file);
    }

    String commitAll(String message) {
      git(work, "add", "-A");
      git(work, "commit", "--quiet", "-m", message);
      git(work, "push", "--quiet", "--force", "origin", "HEAD");
      return head();
    }

    /** Starts {@code branch} from the current commit and pushes it. */
    void branch(String branch) {
      git(work, "checkout", "--quiet", "-b", branch);
      git(work, "push", "--quiet", "origin", branch);
    }

    void checkout(String branch) {
      git(work, "checkout", "--quiet", branch);
    }

    /** {@code count} files of {@code bytes} random bytes each, committed and pushed. */
    String randomFiles(int count, int bytes) {
      Random random = new Random(42);
      for (int i = 0; i < count; i++) {
        byte[] data = new byte[bytes];
        random.nextBytes(data);
        write("blob-" + i + ".bin", data);
      }
      return commitAll("random data");
    }

    String head() {
      return git(work, "rev-parse", "HEAD");
    }

    private void write(String file, byte[] data) {
      try {
        Path p = work.resolve(file);
        Files.createDirectories(p.getParent());
        Files.write(p, data);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }
}
