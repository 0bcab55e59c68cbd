package io.errand.server.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.server.git.GitProgress.Update;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress parser, on lines as git 2.39 writes them for a clone over file://. */
class GitProgressTest {

  private static List<Update> feed(String... lines) {
    GitProgress p = new GitProgress();
    List<Update> out = new ArrayList<>();
    for (String l : lines) {
      p.feed(l).ifPresent(out::add);
    }
    return out;
  }

  @Test
  void phasesShareOneScaleThatNeverGoesBack() {
    List<Update> u = feed(
        "Cloning into 'c1'...",
        "remote: Enumerating objects: 7, done.",
        "remote: Counting objects:  14% (1/7)",
        "remote: Counting objects: 100% (7/7), done.",
        "remote: Compressing objects:  57% (4/7)",
        "remote: Compressing objects: 100% (7/7), done.",
        "Receiving objects:  42% (520/1234), 1.20 MiB | 2.40 MiB/s",
        "remote: Total 7 (delta 0), reused 0 (delta 0), pack-reused 0",
        "Receiving objects: 100% (1234/1234), 4.77 MiB | 33.92 MiB/s, done.",
        "Resolving deltas:  50% (25/50)",
        "Resolving deltas: 100% (50/50), done.",
        "Updating files:  50% (5/10)",
        "Updating files: 100% (10/10), done.");

    assertThat(u).extracting(Update::percent)
        .containsExactly(0, 5, 10, 15, 42, 80, 87, 95, 97, 100);
    assertThat(u.get(4).message()).isEqualTo("Receiving objects 42% (520/1234)");
    assertThat(u).last().extracting(Update::message).isEqualTo("Updating files 100% (10/10)");
  }

  @Test
  void repeatsAndOtherLinesMoveNothing() {
    List<Update> u = feed(
        "Receiving objects:  10% (1/10)",
        "Receiving objects:  10% (1/10)",
        "warning: redirecting to https://example.com/r.git/",
        "Counting objects:  90% (9/10)", // a phase before the current one: never backwards
        "Receiving objects:  20% (2/10)");

    assertThat(u).extracting(Update::percent).containsExactly(21, 28);
  }

  @Test
  void progressLinesAreToldFromMessages() {
    assertThat(GitProgress.isProgress("Receiving objects:  42% (520/1234)")).isTrue();
    assertThat(GitProgress.isProgress("remote: Counting objects: 100% (7/7), done.")).isTrue();
    assertThat(GitProgress.isProgress("fatal: Remote branch nope not found")).isFalse();
    assertThat(new GitProgress().percent()).isEqualTo(-1);
  }
}
