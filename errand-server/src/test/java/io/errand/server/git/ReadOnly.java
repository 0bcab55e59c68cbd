package io.errand.server.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Makes a directory unwritable for the duration of a test: {@code chmod a-w}, and where that
 * does not stop the test's user (root ignores modes) {@code chattr +i}, which stops root too.
 */
final class ReadOnly implements AutoCloseable {
  private final Path dir;
  private final Set<PosixFilePermission> before;
  private final boolean immutable;
  private final boolean works;

  private ReadOnly(Path dir) throws IOException {
    this.dir = dir;
    this.before = Files.getPosixFilePermissions(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    boolean stopped = !canWrite(dir);
    boolean chattr = false;
    if (!stopped) {
      chattr = run("chattr", "+i", dir.toString());
      stopped = chattr && !canWrite(dir);
    }
    this.immutable = chattr;
    this.works = stopped;
  }

  static ReadOnly make(Path dir) throws IOException {
    return new ReadOnly(dir);
  }

  /** Whether writing into the directory now fails for this process. */
  boolean works() {
    return works;
  }

  @Override
  public void close() throws IOException {
    if (immutable) {
      run("chattr", "-i", dir.toString());
    }
    Files.setPosixFilePermissions(dir, before);
  }

  private static boolean canWrite(Path dir) {
    Path probe = dir.resolve("probe-" + System.nanoTime());
    try {
      Files.createDirectory(probe);
      Files.delete(probe);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static boolean run(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false; // the tool is not installed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
