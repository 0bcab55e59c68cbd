package io.errand.server.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * When git-sync last brought a checkout up to date: the modification time of the marker file
 * {@code .git/errand-last-update}, written after every successful clone or pull.
 *
 * <p>A marker of our own rather than {@code FETCH_HEAD}'s time: a clone has no FETCH_HEAD, a
 * fetch rewrites it even when it then fails to check out, and a person running {@code git
 * fetch} by hand would make a stale checkout look fresh. The marker lives inside {@code .git},
 * so it never shows up as an untracked file of the checkout, and it moves with the directory
 * when a finished clone is renamed into place. Its text (the time and commit) is for people;
 * the modification time is what counts, so an operator can force the next pull with
 * {@code touch -d '2 hours ago'} or by deleting it.
 */
final class LastUpdate {
  static final String MARKER = "errand-last-update";

  private LastUpdate() {}

  /** When the checkout at {@code dir} was last updated, or empty if no marker is there. */
  static Optional<Instant> of(Path dir) throws IOException {
    try {
      return Optional.of(Files.getLastModifiedTime(marker(dir)).toInstant());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Records that the checkout at {@code dir} was updated now, to {@code commit}. */
  static void touch(Path dir, String commit) throws IOException {
    Files.writeString(marker(dir), Instant.now() + " " + (commit == null ? "-" : commit) + "\n",
        StandardCharsets.UTF_8);
  }

  static Path marker(Path dir) {
    return dir.resolve(".git").resolve(MARKER);
  }
}
