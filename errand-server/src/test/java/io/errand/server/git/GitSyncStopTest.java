package io.errand.server.git;

import static io.errand.server.git.GitFixture.args;
import static io.errand.server.git.GitFixture.git;
import static io.errand.server.git.GitFixture.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.server.git.GitFixture.Upstream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancel and time-out kill git's whole process tree and leave no half-written directory. Git
 * is held mid-clone by an HTTP stub that never answers until the test is over, so "mid-clone"
 * is a state the test waits for, not a moment it hopes to hit.
 */
class GitSyncStopTest {
  @TempDir
  Path tmp;
  GitFixture f;

  @BeforeEach
  void setUp() {
    f = new GitFixture(tmp);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void cancelMidCloneKillsGitAndLeavesNoDirectory() throws Exception {
    try (HttpStub stub = HttpStub.holding(404)) {
      f.start(Map.of());
      long id = f.errand().submit("git", args("url", stub.url("/slow.git"), "dir", "c"));
      assertThat(stub.arrived.await(30, TimeUnit.SECONDS)).isTrue();
      List<ProcessHandle> gits = gitProcesses();
      assertThat(gits).as("git is running").isNotEmpty();
      assertThat(f.leftovers()).as("the clone in progress").hasSize(1);

      f.errand().cancel(id, "the test cancels");
      TaskInfo info = f.finish(id);

      assertThat(info.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(info.cancelReason()).isEqualTo("the test cancels");
      assertAllDead(gits);
      assertThat(f.workspace.resolve("c")).doesNotExist();
      assertThat(f.leftovers()).isEmpty();
    }
  }

  @Test
  void aTimeOutKillsGitLeavesNoDirectoryAndIsRetried() throws Exception {
    try (HttpStub stub = HttpStub.holding(404)) {
      f.start(Map.of("timeout", "1s"), Map.of(), 2);
      long id = f.errand().submit("git", args("url", stub.url("/slow.git"), "dir", "c"));
      assertThat(stub.arrived.await(30, TimeUnit.SECONDS)).isTrue();
      List<ProcessHandle> gits = gitProcesses();
      assertThat(gits).isNotEmpty();

      TaskInfo info = f.finish(id);

      assertThat(info.status()).isEqualTo(TaskStatus.FAILURE);
      assertThat(info.errors()).as("a time-out is retried").hasSize(2).allSatisfy(e -> {
        assertThat(e.type()).isEqualTo(GitSyncException.class.getName());
        assertThat(e.message()).contains("git clone of " + stub.url("/slow.git")
            + " did not finish within 1 s and was killed").contains("timeout option");
      });
      assertAllDead(gits);
      assertThat(gitProcesses()).isEmpty();
      assertThat(f.workspace.resolve("c")).doesNotExist();
      assertThat(f.leftovers()).isEmpty();
    }
  }

  @Test
  void cancelMidPullKeepsTheOldCheckout() throws Exception {
    Upstream up = f.upstream("project");
    f.start(Map.of());
    result(f.run(args("url", up.url(), "dir", "p")));
    Path dir = f.workspace.resolve("p");
    try (HttpStub stub = HttpStub.holding(404)) {
      // The same checkout, now pointing at a remote that hangs.
      git(dir, "remote", "set-url", "origin", stub.url("/slow.git"));
      long id = f.errand().submit("git", args("url", stub.url("/slow.git"), "dir", "p",
          "sync", true));
      assertThat(stub.arrived.await(30, TimeUnit.SECONDS)).isTrue();
      List<ProcessHandle> gits = gitProcesses();

      f.errand().cancel(id, "the test cancels");

      assertThat(f.finish(id).status()).isEqualTo(TaskStatus.CANCELLED);
      assertAllDead(gits);
      assertThat(git(dir, "rev-parse", "HEAD")).isEqualTo(up.head());
      assertThat(git(dir, "status", "--porcelain")).isEmpty();
      assertThat(dir.resolve("README")).hasContent("first");
    }
  }

  /** Git processes (git and its helpers) that are descendants of this JVM and running now. */
  static List<ProcessHandle> gitProcesses() {
    return ProcessHandle.current().descendants().filter(GitProcess::isRunning)
        .filter(h -> h.info().command().map(c -> c.contains("git")).orElse(false)).toList();
  }

  /**
   * None of {@code gits} runs any more. Checked at once, not awaited: the handler waits for the
   * whole tree to end before the task can end. (A zombie counts as ended: it has exited and
   * only waits for init to collect its status.)
   */
  private static void assertAllDead(List<ProcessHandle> gits) {
    assertThat(gits).noneMatch(GitProcess::isRunning);
  }
}
