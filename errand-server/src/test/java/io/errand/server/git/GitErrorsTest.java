package io.errand.server.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.NonRetryableException;
import io.errand.server.git.GitErrors.Category;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Classification of git's own words, as git 2.39 prints them with LC_ALL=C. The handler tests
 * produce most categories for real; these pin down the texts too, including those a test
 * machine cannot always produce (ssh, a full disk, a read-only file system).
 */
class GitErrorsTest {
  private static final GitErrors.Context CLONE = new GitErrors.Context("clone",
      "https://bob:pw@host/r.git", "main", "r", null, List.of("T0KEN"));

  @Test
  void eachCategoryFromWhatGitSays() {
    assertCategory(Category.NETWORK, "fatal: unable to access 'http://127.0.0.1:1/x.git/':"
        + " Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server");
    assertCategory(Category.NETWORK, "fatal: unable to access 'https://nope.invalid/r.git/':"
        + " Could not resolve host: nope.invalid");
    assertCategory(Category.NETWORK, "ssh: connect to host h port 22: Connection refused",
        "fatal: Could not read from remote repository.");
    assertCategory(Category.AUTH, "fatal: could not read Username for 'http://h': terminal"
        + " prompts disabled");
    assertCategory(Category.AUTH, "remote: HTTP Basic: Access denied",
        "fatal: Authentication failed for 'https://h/r.git/'");
    assertCategory(Category.AUTH, "git@h: Permission denied (publickey).",
        "fatal: Could not read from remote repository.");
    assertCategory(Category.NOT_A_REPOSITORY, "fatal: '/srv/x.git' does not appear to be a git"
        + " repository", "fatal: Could not read from remote repository.");
    assertCategory(Category.NOT_A_REPOSITORY, "fatal: repository '/srv/x' does not exist");
    assertCategory(Category.NOT_A_REPOSITORY, "remote: Repository not found.",
        "fatal: repository 'https://h/r.git/' not found");
    assertCategory(Category.BRANCH_MISSING, "fatal: Remote branch nope not found in upstream"
        + " origin");
    assertCategory(Category.BRANCH_MISSING, "fatal: couldn't find remote ref refs/heads/nope");
    assertCategory(Category.DISK_FULL, "fatal: write error: No space left on device",
        "fatal: fetch-pack: invalid index-pack output");
    assertCategory(Category.PERMISSION, "fatal: could not create work tree dir 'r': Permission"
        + " denied");
    assertCategory(Category.PERMISSION, "error: cannot open '.git/FETCH_HEAD': Read-only file"
        + " system");
    assertCategory(Category.PERMISSION, "fatal: detected dubious ownership in repository at"
        + " '/w/r'");
    assertCategory(Category.OTHER, "fatal: something new");
  }

  private static void assertCategory(Category expected, String... lines) {
    assertThat(GitErrors.categorize(List.of(lines))).as(String.join(" | ", lines))
        .isEqualTo(expected);
  }

  @Test
  void permanentCategoriesAreNotRetriedAndMessagesSayWhatToCheck() {
    RuntimeException auth = GitErrors.failed(CLONE, 128, List.of("Cloning into 'x'...",
        "fatal: Authentication failed for 'https://bob:pw@host/r.git/' T0KEN"));
    assertThat(auth).isInstanceOf(NonRetryableException.class);
    assertThat(auth.getMessage()).isEqualTo("authentication required for"
        + " https://****@host/r.git: pass the credentials arg naming an entry of the handler's"
        + " credentials option, or check the ssh key of the server's user (git clone said:"
        + " Cloning into 'x'... | fatal: Authentication failed for 'https://****@host/r.git/'"
        + " ****)");

    RuntimeException disk = GitErrors.failed(CLONE, 128, List.of("fatal: write error: No"
        + " space left on device"));
    assertThat(disk).isInstanceOf(GitSyncException.class);
    assertThat(disk.getMessage()).startsWith("disk full during git clone of"
        + " https://****@host/r.git: free space");

    RuntimeException other = GitErrors.failed(CLONE, 1, List.of());
    assertThat(other).isInstanceOf(GitSyncException.class);
    assertThat(other.getMessage()).isEqualTo("git clone of https://****@host/r.git failed (git"
        + " clone said: exit code 1)");
  }

  @Test
  void fileErrorsOfJavaAreSortedToo() {
    assertThat(GitErrors.fileFailed("moving", new AccessDeniedException("/w/r"), "/w"))
        .isInstanceOf(NonRetryableException.class).hasMessageContaining("permission denied");
    assertThat(GitErrors.fileFailed("moving", new FileSystemException("/w/r", null,
        "Operation not permitted"), "/w")).isInstanceOf(NonRetryableException.class);
    assertThat(GitErrors.fileFailed("moving", new FileSystemException("/w/r", null,
        "No space left on device"), "/w")).isInstanceOf(GitSyncException.class)
        .hasMessageStartingWith("disk full while moving");
    assertThat(GitErrors.notInstalled("git", new IOException("Cannot run program \"git\":"
        + " error=2, No such file or directory"))).hasMessage("git is not installed or cannot"
        + " be run: starting 'git' failed (error=2, no such file or directory); install git on"
        + " the server or set the handler's git option to its full path");
  }

  @Test
  void redactionAndHumanDurations() {
    assertThat(GitErrors.redact("see ssh://git:pw@h/r and https://u@h/r", List.of()))
        .isEqualTo("see ssh://****@h/r and https://****@h/r");
    assertThat(GitErrors.redact("token abc in text", List.of("abc"))).isEqualTo(
        "token **** in text");
    assertThat(GitErrors.timedOut(CLONE, Duration.ofMinutes(5)).getMessage()).startsWith(
        "git clone of https://****@host/r.git did not finish within 5 min and was killed");
    assertThat(GitErrors.human(Duration.ofSeconds(90))).isEqualTo("90 s");
    assertThat(GitErrors.human(Duration.ofMinutes(61))).isEqualTo("61 min");
    assertThat(GitErrors.human(Duration.ofMinutes(150))).isEqualTo("2 h 30 min");
  }
}
