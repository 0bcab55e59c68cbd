package io.errand.server.git;

import static io.errand.server.git.GitFixture.args;
import static io.errand.server.git.GitFixture.git;
import static io.errand.server.git.GitFixture.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.errand.api.NonRetryableException;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.server.LogCapture;
import io.errand.server.git.GitFixture.Upstream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each of seed 000's error categories, produced for real where this machine allows: the
 * category decides whether the queue retries (attempts are 2 here, so a retried task shows two
 * errors and a non-retryable one shows one), and the message says what to check.
 */
class GitSyncErrorsTest {
  private static final String NON_RETRYABLE = NonRetryableException.class.getName();
  private static final String RETRYABLE = GitSyncException.class.getName();

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

  private TaskInfo failing(Map<String, Object> args) {
    TaskInfo info = f.run(args);
    assertThat(info.status()).as("%s", info).isEqualTo(TaskStatus.FAILURE);
    return info;
  }

  private static void nonRetryable(TaskInfo info) {
    assertThat(info.errors()).as("not retried").singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo(NON_RETRYABLE));
  }

  @Test
  void gitNotInstalledIsNotRetried() {
    f.start(Map.of("git", "/nonexistent/git"), Map.of(), 2);

    TaskInfo info = failing(args("url", "https://example.com/r.git", "dir", "r"));

    nonRetryable(info);
    assertThat(info.message()).startsWith("git is not installed or cannot be run: starting"
        + " '/nonexistent/git' failed").contains("set the handler's git option");
  }

  @Test
  void anUnreachableServerIsRetried() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // nobody listens there once it is closed
    }
    f.start(Map.of(), Map.of(), 2);
    String url = "http://127.0.0.1:" + closed + "/x.git";

    TaskInfo info = failing(args("url", url, "dir", "r"));

    assertThat(info.errors()).as("retried").hasSize(2).allSatisfy(e -> {
      assertThat(e.type()).isEqualTo(RETRYABLE);
      assertThat(e.message()).startsWith("cannot reach " + url + ": check the host name")
          .contains("Failed to connect");
    });
    assertThat(f.workspace.resolve("r")).doesNotExist();
    assertThat(f.leftovers()).isEmpty();
  }

  @Test
  void aRepositoryThatNeedsCredentialsIsNotRetried() throws IOException {
    try (HttpStub stub = HttpStub.answering(401)) {
      f.start(Map.of(), Map.of(), 2);

      TaskInfo info = failing(args("url", stub.url("/private.git"), "dir", "r"));

      nonRetryable(info);
      assertThat(info.message()).startsWith("authentication required for "
          + stub.url("/private.git") + ": pass the credentials arg");
      assertThat(stub.authorizations).containsOnly("(none)");
    }
  }

  @Test
  void credentialsFromTheEnvironmentReachGitButNoListingRecordErrorOrLog() throws Exception {
    String token = "s3cr3t-T0KEN-4711";
    String basic = java.util.Base64.getEncoder().encodeToString(("oauth2:" + token).getBytes());
    try (HttpStub stub = HttpStub.holding(401); LogCapture logs = LogCapture.debug()) {
      f.start(Map.of("credentials", Map.of("ci", Map.of("env", "GIT_SYNC_TOKEN"))),
          Map.of("GIT_SYNC_TOKEN", token), 2);
      long id = f.errand().submit("git", args("url", stub.url("/private.git"), "dir", "r",
          "credentials", "ci"));
      assertThat(stub.arrived.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      // While git waits for the server: what any user of the machine could see of it.
      List<ProcessHandle> gits = GitSyncStopTest.gitProcesses();
      assertThat(gits).isNotEmpty();
      for (ProcessHandle g : gits) {
        String listing = g.info().commandLine().orElse("") + " " + String.join(" ",
            g.info().arguments().orElse(new String[0])) + " " + cmdline(g);
        assertThat(listing).as("argv of %s", g.pid()).contains("private.git")
            .doesNotContain(token).doesNotContain(basic);
      }
      stub.release.countDown();
      TaskInfo info = f.finish(id);

      assertThat(stub.authorizations).first().isEqualTo("Basic " + basic);
      assertThat(info.status()).isEqualTo(TaskStatus.FAILURE);
      nonRetryable(info);
      assertThat(info.message()).startsWith("authentication failed for "
          + stub.url("/private.git") + " with credentials 'ci': check the user name and");
      assertThat(info.toString()).doesNotContain(token).doesNotContain(basic);
      assertThat(logs.text()).contains("git-sync task " + id)
          .doesNotContain(token).doesNotContain(basic);
    }
  }

  @Test
  void credentialsFromAFileAreUserAndPassword() throws Exception {
    Path file = tmp.resolve("cred.txt");
    Files.writeString(file, "deploy:pa55word\n");
    try (HttpStub stub = HttpStub.answering(401)) {
      f.start(Map.of("credentials", Map.of("corp", Map.of("file", file.toString()))));

      TaskInfo info = failing(args("url", stub.url("/r.git"), "dir", "r", "credentials",
          "corp"));

      assertThat(stub.authorizations).first().isEqualTo("Basic " + java.util.Base64
          .getEncoder().encodeToString("deploy:pa55word".getBytes()));
      assertThat(info.toString()).doesNotContain("pa55word");
    }
  }

  @Test
  void anUnknownCredentialsReferenceIsRefused() {
    f.start(Map.of("credentials", Map.of("gitlab", Map.of("env", "GITLAB_TOKEN"))));

    TaskInfo info = failing(args("url", "https://example.com/r.git", "dir", "r",
        "credentials", "gitlap"));

    assertThat(info.message()).isEqualTo("unknown credentials 'gitlap' (did you mean"
        + " 'gitlab'?): the handler's credentials option defines gitlab");
  }

  @Test
  void aMissingRepositoryIsNotARepositoryAndNotRetried() throws IOException {
    Files.createDirectories(tmp.resolve("plain"));
    f.start(Map.of(), Map.of(), 2);

    for (String url : List.of("file://" + tmp.resolve("missing.git"),
        tmp.resolve("plain").toString())) {
      TaskInfo info = failing(args("url", url, "dir", "r"));

      nonRetryable(info);
      assertThat(info.message()).startsWith("not a git repository: " + url)
          .contains("check the url arg");
    }
    assertThat(f.leftovers()).isEmpty();
  }

  @Test
  void aMissingBranchIsNotRetriedAndAFailedPullKeepsTheCheckout() {
    Upstream up = f.upstream("project");
    f.start(Map.of(), Map.of(), 2);

    TaskInfo clone = failing(args("url", up.url(), "dir", "r", "branch", "nope"));

    nonRetryable(clone);
    assertThat(clone.message()).startsWith("branch 'nope' does not exist in " + up.url()
        + ": check the branch arg").contains("Remote branch nope not found");
    assertThat(f.workspace.resolve("r")).doesNotExist();

    result(f.run(args("url", up.url(), "dir", "r")));
    TaskInfo pull = failing(args("url", up.url(), "dir", "r", "branch", "nope", "sync", true));

    nonRetryable(pull);
    assertThat(pull.message()).startsWith("branch 'nope' does not exist")
        .contains("couldn't find remote ref refs/heads/nope");
    Path dir = f.workspace.resolve("r");
    assertThat(git(dir, "rev-parse", "--abbrev-ref", "HEAD")).isEqualTo("main");
    assertThat(git(dir, "rev-parse", "HEAD")).isEqualTo(up.head());
  }

  /**
   * A workspace the server may not write to. Root ignores file modes, so as root the test
   * makes the directory immutable ({@code chattr +i}), which stops root too; where neither
   * works the test is skipped, and {@link GitErrorsTest} still covers how git's and Java's
   * permission messages are classified.
   */
  @Test
  void aWorkspaceTheServerMayNotWriteToIsAPermissionError() throws Exception {
    Upstream up = f.upstream("project");
    f.start(Map.of(), Map.of(), 2);
    result(f.run(args("url", up.url(), "dir", "kept")));
    Path gitDir = f.workspace.resolve("kept/.git");
    try (ReadOnly ro = ReadOnly.make(f.workspace); ReadOnly ro2 = ReadOnly.make(gitDir)) {
      assumeTrue(ro.works() && ro2.works(), "cannot make a directory read-only here");

      TaskInfo clone = failing(args("url", up.url(), "dir", "new"));

      // .errand-tmp exists from the first clone and stays writable, so the clone is made,
      // and it is the rename into the workspace that fails; the clone is then deleted.
      nonRetryable(clone);
      assertThat(clone.message()).startsWith("permission denied while putting the clone in"
          + " place as dir 'new'").contains("check that the server's user may write to the"
          + " workspace");
      assertThat(f.workspace.resolve("new")).doesNotExist();
      assertThat(f.leftovers()).isEmpty();

      TaskInfo pull = failing(args("url", up.url(), "dir", "kept", "sync", true));

      nonRetryable(pull);
      assertThat(pull.message()).startsWith("permission denied during git fetch in dir"
          + " 'kept'").contains("FETCH_HEAD");
    }
  }

  /**
   * A full disk, made real by a 512 KiB tmpfs mounted over the workspace. That needs root (or
   * CAP_SYS_ADMIN); elsewhere the test is skipped and {@link GitErrorsTest} covers how "No space
   * left on device" is classified.
   */
  @Test
  void aFullDiskIsRetriedAndLeavesNothing() throws Exception {
    Upstream up = f.upstream("project");
    up.randomFiles(4, 500_000);
    Files.createDirectories(f.workspace);
    try (SmallDisk disk = SmallDisk.mount(f.workspace, "512k")) {
      assumeTrue(disk.mounted(), "cannot mount a small tmpfs here (needs root)");
      f.start(Map.of(), Map.of(), 2);

      TaskInfo info = failing(args("url", up.url(), "dir", "r"));

      assertThat(info.errors()).as("retried").hasSize(2).allSatisfy(e -> {
        assertThat(e.type()).isEqualTo(RETRYABLE);
        assertThat(e.message()).startsWith("disk full during git clone of " + up.url()
            + ": free space").contains("No space left on device");
      });
      assertThat(f.workspace.resolve("r")).doesNotExist();
      assertThat(f.leftovers()).isEmpty();
    }
  }

  @Test
  void dirsOutsideTheWorkspaceAreRefused() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createDirectories(f.workspace);
    Files.createSymbolicLink(f.workspace.resolve("link"), outside);
    Files.createDirectories(f.workspace.resolve("inner"));
    Files.createSymbolicLink(f.workspace.resolve("alias"), f.workspace.resolve("inner"));
    Upstream up = f.upstream("project");
    f.start(Map.of(), Map.of(), 2);

    Map<String, String> refusals = Map.of(
        "../outside/r", "dir '../outside/r' contains '..'; it must stay inside the workspace",
        "a/../../r", "dir 'a/../../r' contains '..'",
        outside.resolve("r").toString(), "is an absolute path",
        "link/r", "dir 'link/r' leads out of the workspace through the symbolic link 'link'",
        ".errand-tmp/r", "names starting with '.' are reserved");
    refusals.forEach((dir, message) -> {
      TaskInfo info = failing(args("url", up.url(), "dir", dir));
      nonRetryable(info);
      assertThat(info.message()).contains(message);
    });
    try (var s = Files.list(outside)) {
      assertThat(s.toList()).as("nothing written outside").isEmpty();
    }

    // A link that stays inside the workspace is followed.
    assertThat(result(f.run(args("url", up.url(), "dir", "alias/r"))))
        .containsEntry("action", "cloned");
    assertThat(f.workspace.resolve("inner/r/README")).exists();
  }

  @Test
  void badArgsAreRefusedWithoutEchoingAPassword() {
    f.start(Map.of(), Map.of(), 2);

    assertThat(failing(args("url", "https://h/r.git", "dir", "r", "forceClean", true))
        .message()).isEqualTo("unknown git-sync arg 'forceClean' (did you mean"
        + " 'force_clean'?); known args are url, branch, dir, sync, force_clean, credentials");
    TaskInfo pw = failing(args("url", "https://bob:hunter2@h/r.git", "dir", "r"));
    assertThat(pw.message()).contains("https://****@h/r.git has a password in it")
        .doesNotContain("hunter2");
    assertThat(pw.toString().replace("https://bob:hunter2@h/r.git", ""))
        .as("only the args themselves hold it").doesNotContain("hunter2");
    assertThat(failing(args("url", "ext::sh -c touch% /tmp/pwned", "dir", "r")).message())
        .contains("transport helper");
    assertThat(failing(args("url", "https://h/r.git", "dir", "r", "branch", "--upload-pack=x"))
        .message()).startsWith("branch '--upload-pack=x' is not a branch name");
    assertThat(failing(args("url", "relative/path", "dir", "r")).message())
        .contains("neither a URL nor an absolute path");
    assertThat(failing(args("url", "https://h/r.git")).message()).startsWith("dir is required");
    assertThat(failing(args("url", "https://h/r.git", "dir", "r", "sync", "yes")).message())
        .isEqualTo("sync must be true or false, was yes");
  }

  private static String cmdline(ProcessHandle h) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/" + h.pid() + "/cmdline")))
          .replace('\0', ' ');
    } catch (IOException e) {
      return ""; // no /proc here, or it just exited: the other two views still count
    }
  }
}
