package io.errand.server.git;

import java.nio.file.Path;

/** A tiny tmpfs mounted over a directory for the duration of a test, so a disk really fills. */
final class SmallDisk implements AutoCloseable {
  private final Path dir;
  private final boolean mounted;

  private SmallDisk(Path dir, String size) {
    this.dir = dir;
    this.mounted = ReadOnly.run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs",
        dir.toString());
  }

  /** Mounts a tmpfs of {@code size} (e.g. {@code 512k}) on the empty directory {@code dir}. */
  static SmallDisk mount(Path dir, String size) {
    return new SmallDisk(dir, size);
  }

  /** Whether the mount worked (it needs root or CAP_SYS_ADMIN). */
  boolean mounted() {
    return mounted;
  }

  @Override
  public void close() {
    if (mounted && !ReadOnly.run("umount", dir.toString())) {
      ReadOnly.run("umount", "-l", dir.toString()); // busy: detach now, free when unused
    }
  }
}
