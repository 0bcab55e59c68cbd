package io.errand.server.git;

import static io.errand.server.git.GitFixture.args;
import static io.errand.server.git.GitFixture.git;
import static io.errand.server.git.GitFixture.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.EventType;
import io.errand.api.NonRetryableException;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.server.git.GitFixture.Upstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed 000's four rules, against real repositories through a real Errand. */
class GitSyncRulesTest {
  @TempDir
  Path tmp;
  GitFixture f;
  Upstream up;

  @BeforeEach
  void setUp() {
    f = new GitFixture(tmp);
    up = f.upstream("project");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void noDirectoryClones() throws Exception {
    f.start(Map.of());

    TaskInfo info = f.run(args("url", up.url(), "dir", "alice/project"));

    Map<String, Object> r = result(info);
    assertThat(r).containsEntry("action", "cloned").containsEntry("dir", "alice/project")
        .containsEntry("branch", "main").containsEntry("commit", up.head())
        .containsEntry("reason", "no directory yet");
    Path dir = f.workspace.resolve("alice/project");
    assertThat(dir.resolve("README")).hasContent("first");
    assertThat(LastUpdate.marker(dir)).exists();
    assertThat(git(dir, "status", "--porcelain")).as("the marker is not in the work tree")
        .isEmpty();
    assertThat(f.leftovers()).isEmpty();
    assertThat(info.current()).isEqualTo(100);
  }

  @Test
  void syncTruePullsANewCommit() {
    f.start(Map.of());
    result(f.run(args("url", up.url(), "dir", "p")));
    String second = up.commit("README", "second\n");

    Map<String, Object> r = result(f.run(args("url", up.url(), "dir", "p", "sync", true)));

    assertThat(r).containsEntry("action", "pulled").containsEntry("commit", second)
        .containsEntry("branch", "main").containsEntry("reason", "sync is true");
    assertThat(f.workspace.resolve("p/README")).hasContent("second");
  }

  @Test
  void syncFalseSkipsWhileFreshAndPullsOnceStale() throws Exception {
    f.start(Map.of()); // stale_after: the default 60 min
    String first = up.head();
    result(f.run(args("url", up.url(), "dir", "p")));
    String second = up.commit("README", "second\n");

    Map<String, Object> fresh = result(f.run(args("url", up.url(), "dir", "p")));

    assertThat(fresh).containsEntry("action", "skipped").containsEntry("commit", first)
        .containsEntry("branch", "main");
    assertThat((String) fresh.get("reason")).matches("updated \\d+ s ago; stale after 60 min");
    assertThat(f.workspace.resolve("p/README")).hasContent("first");

    // 61 minutes ago, as if the last update had been then.
    Files.setLastModifiedTime(LastUpdate.marker(f.workspace.resolve("p")),
        FileTime.from(Instant.now().minus(Duration.ofMinutes(61))));
    Map<String, Object> stale = result(f.run(args("url", up.url(), "dir", "p", "sync", false)));

    assertThat(stale).containsEntry("action", "pulled").containsEntry("commit", second)
        .containsEntry("reason", "updated 61 min ago; stale after 60 min");
    assertThat(f.workspace.resolve("p/README")).hasContent("second");
    assertThat(LastUpdate.of(f.workspace.resolve("p")).orElseThrow())
        .isAfter(Instant.now().minusSeconds(60));
  }

  @Test
  void aShortStaleAfterPullsWithoutWaiting() {
    f.start(Map.of("stale_after", "0s"));
    result(f.run(args("url", up.url(), "dir", "p")));
    String second = up.commit("README", "second\n");

    Map<String, Object> r = result(f.run(args("url", up.url(), "dir", "p")));

    assertThat(r).containsEntry("action", "pulled").containsEntry("commit", second);
    assertThat((String) r.get("reason")).endsWith("stale after 0 s");
  }

  @Test
  void forceCleanReclonesAndDropsLocalChanges() throws Exception {
    f.start(Map.of());
    result(f.run(args("url", up.url(), "dir", "p")));
    Path dir = f.workspace.resolve("p");
    Files.writeString(dir.resolve("README"), "edited locally\n");
    Files.writeString(dir.resolve("untracked.txt"), "left behind\n");

    Map<String, Object> r = result(f.run(args("url", up.url(), "dir", "p", "force_clean",
        true)));

    assertThat(r).containsEntry("action", "recloned").containsEntry("commit", up.head())
        .containsEntry("reason", "force_clean is set");
    assertThat(dir.resolve("README")).hasContent("first");
    assertThat(dir.resolve("untracked.txt")).doesNotExist();
    assertThat(f.leftovers()).as("the old checkout is deleted").isEmpty();
  }

  @Test
  void aDirectoryThatIsNoCheckoutIsRefusedUnlessForceClean() throws Exception {
    f.start(Map.of());
    Files.createDirectories(f.workspace.resolve("p"));
    Files.writeString(f.workspace.resolve("p/notes.txt"), "mine\n");

    TaskInfo refused = f.run(args("url", up.url(), "dir", "p", "sync", true));

    assertThat(refused.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(refused.lastError().orElseThrow().type())
        .isEqualTo(NonRetryableException.class.getName());
    assertThat(refused.message()).contains("exists but is not a git checkout")
        .contains("force_clean");
    assertThat(f.workspace.resolve("p/notes.txt")).exists();

    Map<String, Object> r = result(f.run(args("url", up.url(), "dir", "p", "force_clean",
        true)));
    assertThat(r).containsEntry("action", "recloned");
    assertThat(f.workspace.resolve("p/notes.txt")).doesNotExist();
  }

  @Test
  void aBranchIsClonedAndASwitchOfBranchPullsEvenWhenFresh() {
    up.branch("dev");
    String dev = up.commit("DEV", "dev\n");
    up.checkout("main");
    String main = up.head();
    f.start(Map.of());

    assertThat(result(f.run(args("url", up.url(), "dir", "p", "branch", "dev"))))
        .containsEntry("branch", "dev").containsEntry("commit", dev);
    Map<String, Object> r = result(f.run(args("url", up.url(), "dir", "p", "branch", "main")));

    assertThat(r).containsEntry("action", "pulled").containsEntry("branch", "main")
        .containsEntry("commit", main)
        .containsEntry("reason", "branch main asked for, checkout is on dev");
    assertThat(f.workspace.resolve("p/DEV")).doesNotExist();
  }

  @Test
  void aPullFollowsAForcePushedBranch() {
    f.start(Map.of());
    result(f.run(args("url", up.url(), "dir", "p")));
    git(up.work, "commit", "--quiet", "--amend", "-m", "rewritten");
    git(up.work, "push", "--quiet", "--force", "origin", "HEAD");

    Map<String, Object> r = result(f.run(args("url", up.url(), "dir", "p", "sync", true)));

    assertThat(r).containsEntry("action", "pulled").containsEntry("commit", up.head());
  }

  @Test
  void aDirectoryClonedFromAnotherRepositoryIsNotPulledFromThisOne() {
    Upstream other = f.upstream("other");
    f.start(Map.of());
    result(f.run(args("url", up.url(), "dir", "p")));

    TaskInfo info = f.run(args("url", other.url(), "dir", "p", "sync", true));

    assertThat(info.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(info.message()).contains("holds a clone of " + up.url())
        .contains("force_clean");
  }

  @Test
  void progressIsReportedBetweenZeroAndHundredDuringAClone() {
    up.randomFiles(40, 100_000); // 4 MB that does not compress
    f.start(Map.of());

    TaskInfo info = f.run(args("url", up.url(), "dir", "big"));

    assertThat(result(info)).containsEntry("action", "cloned");
    // Listeners get events on their own thread: wait for the last one of the task.
    await().atMost(Duration.ofSeconds(30)).until(() -> f.events.stream()
        .anyMatch(e -> e.type() == EventType.SUCCEEDED && e.taskId() == info.id()));
    List<TaskEvent> progress = f.events.stream()
        .filter(e -> e.type() == EventType.PROGRESS && e.taskId() == info.id()).toList();
    assertThat(progress).anySatisfy(e -> {
      assertThat(e.total()).isEqualTo(100);
      assertThat(e.current()).isBetween(1L, 99L);
      assertThat(e.message()).containsPattern("(Receiving objects|Resolving deltas|Counting"
          + " objects|Compressing objects) \\d+%");
    });
    List<Long> figures = progress.stream().map(TaskEvent::current).toList();
    assertThat(figures).as("never backwards").isSorted();
    assertThat(figures).last().isEqualTo(100L);
  }
}
