package io.errand.server.git;

import io.errand.api.NonRetryableException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workspace root and everything git-sync does to directories in it: confining a task's
 * {@code dir} to the root, and the temporary directories that make a clone all-or-nothing.
 *
 * <p>Clones go into {@code .errand-tmp/} under the root, on the same file system, so that the
 * finished clone is renamed into place in one atomic step: the target directory either does
 * not exist or holds a complete checkout. Names starting with '.' are refused as {@code dir}
 * segments, which keeps {@code .errand-tmp} out of reach of tasks.
 */
final class Workspace {
  private static final Logger log = LoggerFactory.getLogger(Workspace.class);
  static final String TMP = ".errand-tmp";
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  private final Path root;

  private Workspace(Path root) {
    this.root = root;
  }

  /**
   * The workspace at {@code root}, created if missing. Its real path (symbolic links resolved)
   * is the boundary every {@code dir} must stay inside.
   */
  static Workspace open(Path root) throws IOException {
    Files.createDirectories(root);
    return new Workspace(root.toRealPath());
  }

  /** The root's real path. */
  Path root() {
    return root;
  }

  /**
   * The directory {@code dir} names, inside the root. The path returned has every symbolic link
   * along it resolved, so later operations cannot be redirected through one.
   *
   * @throws NonRetryableException if {@code dir} is empty, absolute, has {@code ..} or a
   *     segment starting with '.', or leads out of the root through a symbolic link
   */
  Path resolve(String dir) {
    if (dir == null || dir.isBlank()) {
      throw new NonRetryableException("dir is required: a directory name inside the workspace,"
          + " e.g. 'alice/project'");
    }
    if (CONTROL.matcher(dir).find()) {
      throw new NonRetryableException("dir must not contain control characters");
    }
    if (dir.startsWith("/") || dir.startsWith("~") || dir.startsWith("\\")
        || Path.of(dir).isAbsolute()) {
      throw refused(dir, "is an absolute path; give a name inside the workspace, e.g."
          + " 'alice/project'");
    }
    Path p = root;
    for (String seg : dir.split("/+")) {
      if (seg.isEmpty()) {
        continue;
      }
      if (seg.equals("..")) {
        throw refused(dir, "contains '..'; it must stay inside the workspace");
      }
      if (seg.startsWith(".")) {
        throw refused(dir, "has the segment '" + seg + "'; names starting with '.' are"
            + " reserved");
      }
      p = p.resolve(seg);
      if (Files.isSymbolicLink(p)) {
        Path real;
        try {
          real = p.toRealPath();
        } catch (IOException e) {
          throw refused(dir, "goes through the symbolic link '" + root.relativize(p)
              + "', which points nowhere");
        }
        if (!inside(real)) {
          throw refused(dir, "leads out of the workspace through the symbolic link '"
              + root.relativize(p) + "'");
        }
        p = real;
      }
    }
    if (!inside(p)) {
      throw refused(dir, "does not name a directory inside the workspace");
    }
    return p;
  }

  private boolean inside(Path real) {
    if (!real.startsWith(root) || real.equals(root)) {
      return false;
    }
    for (Path seg : root.relativize(real)) {
      if (seg.toString().startsWith(".")) {
        return false; // a link into .errand-tmp or a checkout's .git
      }
    }
    return true;
  }

  private static NonRetryableException refused(String dir, String why) {
    return new NonRetryableException("dir '" + dir + "' " + why);
  }

  /** A new empty directory under {@code .errand-tmp} for one clone. */
  Path newTempDir() throws IOException {
    Path tmp = Files.createDirectories(root.resolve(TMP));
    return Files.createTempDirectory(tmp, "clone-");
  }

  /**
   * Renames the finished clone {@code temp} to {@code target} in one atomic step (parents are
   * created first). Fails if {@code target} exists.
   */
  void moveIntoPlace(Path temp, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      // rename(2) would silently replace an empty directory; never replace anything.
      throw new java.nio.file.FileAlreadyExistsException(target.toString());
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Moves {@code target} out of the way, into {@code .errand-tmp}, and returns where to. */
  Path moveAside(Path target) throws IOException {
    Path aside = Files.createTempDirectory(Files.createDirectories(root.resolve(TMP)), "old-");
    Path dest = aside.resolve("checkout");
    Files.move(target, dest, StandardCopyOption.ATOMIC_MOVE);
    return dest;
  }

  /**
   * Deletes what is in {@code .errand-tmp} and older than {@code age}: clones of a server that
   * died mid-clone. Best effort; a problem is logged, never thrown.
   */
  void sweep(Duration age) {
    Path tmp = root.resolve(TMP);
    if (!Files.isDirectory(tmp)) {
      return;
    }
    Instant before = Instant.now().minus(age);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
      for (Path e : entries) {
        if (Files.getLastModifiedTime(e, LinkOption.NOFOLLOW_LINKS).toInstant()
            .isBefore(before)) {
          deleteQuietly(e);
        }
      }
    } catch (IOException e) {
      log.warn("could not clean {}: {}", tmp, e.toString());
    }
  }

  /** Deletes {@code path} and everything under it, without following symbolic links. */
  static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        if (exc instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE; // git removed it itself while being killed
        }
        throw exc;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null && !(exc instanceof NoSuchFileException)) {
          throw exc;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** {@link #deleteTree}, logging instead of throwing: for cleanup after a failure. */
  static void deleteQuietly(Path path) {
    try {
      deleteTree(path);
    } catch (IOException e) {
      log.warn("could not delete {}: {}", path, e.toString());
    }
  }
}
