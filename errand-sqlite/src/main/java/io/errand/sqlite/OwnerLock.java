package io.errand.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes this process the only owner of a database file: an OS lock on {@code <file>.lock},
 * with this process's pid written inside so a refused opener can name the owner. The lock is
 * released by the OS when the process dies, however it dies, so a crash never leaves the file
 * locked. The lock file itself is never deleted: deleting it would let two openers lock two
 * different files of the same name.
 */
final class OwnerLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private OwnerLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code database}.
   *
   * @throws IllegalStateException naming the file and the owner's pid when another process, or
   *                               another store in this process, holds it
   */
  static OwnerLock acquire(Path database) {
    Path lockFile = lockFileOf(database);
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the lock file " + lockFile, e);
    }
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // another store of this very process holds it
      }
      if (lock == null) {
        String owner = readOwner(channel);
        channel.close();
        throw new IllegalStateException("the SQLite store " + database + " is already open in "
            + "process " + owner + " (lock file " + lockFile + "); one process owns the file at a "
            + "time: stop that process, or use another file");
      }
      byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
      channel.force(true);
      return new OwnerLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + lockFile, e);
    }
  }

  static Path lockFileOf(Path database) {
    return database.resolveSibling(database.getFileName() + ".lock");
  }

  private static String readOwner(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(32);
    channel.read(buf, 0);
    String pid = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim();
    return pid.isEmpty() ? "(pid unknown)" : "pid " + pid;
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // already failing
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it as well
    }
    closeQuietly(channel);
  }
}
