package io.errand.server.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the file a program name stands for the way the JDK's process launcher does (a name
 * with a slash is a path, relative to the working directory; any other name is looked up in
 * this JVM's {@code PATH}), so that a program started through a guard fails to start with the
 * same error as one started directly.
 */
final class Executables {
  private Executables() {}

  /**
   * The file to execute for {@code program}.
   *
   * @param dir the program's working directory; null for this JVM's
   * @return an absolute path for a name looked up in {@code PATH}, else {@code program} itself
   * @throws IOException worded as the JDK's own ({@code Cannot run program "x": error=2, No such
   *     file or directory}, {@code error=13, Permission denied}) if there is no such executable
   */
  static String find(String program, File dir) throws IOException {
    if (program.contains("/")) {
      Path p = dir == null ? Path.of(program) : dir.toPath().resolve(program);
      if (!Files.exists(p)) {
        throw cannotRun(program, dir, 2, "No such file or directory");
      }
      if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
        throw cannotRun(program, dir, 13, "Permission denied");
      }
      return program;
    }
    boolean denied = false;
    for (String entry : Optional.ofNullable(System.getenv("PATH")).orElse("").split(":")) {
      Path p = Path.of(entry.isEmpty() ? "." : entry).resolve(program).toAbsolutePath();
      if (Files.isRegularFile(p)) {
        if (Files.isExecutable(p)) {
          return p.toString();
        }
        denied = true;
      }
    }
    throw denied ? cannotRun(program, dir, 13, "Permission denied")
        : cannotRun(program, dir, 2, "No such file or directory");
  }

  /**
   * Whether {@code program} is found in this JVM's {@code PATH}.
   *
   * @return its absolute path, or empty
   */
  static Optional<String> inPath(String program) {
    try {
      return Optional.of(find(program, null));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static IOException cannotRun(String program, File dir, int errno, String why) {
    return new IOException("Cannot run program \"" + program + "\""
        + (dir == null ? "" : " (in directory \"" + dir + "\")") + ": error=" + errno + ", "
        + why);
  }
}
