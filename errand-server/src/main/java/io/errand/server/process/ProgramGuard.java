package io.errand.server.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a program under a guard that ends it when this JVM dies, however it dies (KILL, OOM,
 * crash): the guard is a {@code /bin/sh} in a session of its own ({@code setsid}), so that it
 * and the program are one process group; it holds the read end of a pipe whose only write end
 * is this JVM's (its stdin), and when that pipe reports end of file, TERMs its whole group,
 * waits the grace, and KILLs it. The program gets {@code /dev/null} as stdin and the guard's
 * stdout and stderr, and the guard exits with the program's status.
 *
 * <p>The script is fixed text; the program and its arguments reach it as positional
 * parameters and run with {@code exec "$@"}, so nothing in them is interpreted by the shell.
 * {@code exec} runs a file, never a shell builtin, so a program named {@code cd} or
 * {@code kill} is looked up as a file, as without the guard.
 *
 * <p>What it cannot hold: a program that leaves the group (calls {@code setsid} or
 * {@code setpgid} itself) is not reached by the group's signals; that is why the server also
 * ends what it started by the process tree, and records the groups for the next start.
 */
public final class ProgramGuard {
  // $1 grace in seconds, $2 the sleep executable, $3 the program's PWD ("=value", or "-" for
  // none: the shell would export one of its own), then the program. fd 3 keeps the pipe from
  // the JVM for the watcher; the program gets neither it nor the pipe as stdin.
  private static final String SCRIPT = String.join("\n",
      "g=$1; s=$2; case $3 in -) unset PWD;; *) PWD=${3#=}; export PWD;; esac; shift 3",
      "exec 3<&0 </dev/null",
      "exec \"$@\" 3<&- &",
      "p=$!",
      "{ while read -r _; do :; done; trap '' TERM; kill -TERM 0; \"$s\" \"$g\"; kill -KILL 0; }"
          + " <&3 &",
      "w=$!",
      "exec 3<&-",
      // Quiet: the shell would report a death by signal (the program's, the watcher's) on the
      // program's stderr.
      "{ wait \"$p\"; } 2>/dev/null; r=$?",
      "{ kill -KILL \"$w\"; wait \"$w\"; } 2>/dev/null",
      "exit \"$r\"");
  /** The guard's name in process listings ({@code $0} of the script). */
  static final String NAME = "errand-guard";
  private static final Optional<List<String>> PREFIX = prefix();

  private ProgramGuard() {}

  /**
   * Whether programs can be guarded here: Linux with {@code /bin/sh}, {@code setsid} and
   * {@code sleep}. Elsewhere programs are started directly and only the server's own ending of
   * them applies.
   */
  public static boolean available() {
    return PREFIX.isPresent();
  }

  /**
   * The command that runs {@code argv} under the guard, or {@code argv} itself where no guard
   * is {@link #available()}.
   *
   * @param dir   the program's working directory; null for this JVM's
   * @param env   the program's environment
   * @param grace how long the program may take to exit after TERM once this JVM died
   * @throws IOException worded as the JDK's own if {@code argv[0]} is no executable file: a
   *     guarded program must fail to start as an unguarded one does, not with an exit status
   */
  static List<String> command(List<String> argv, File dir, Map<String, String> env,
      Duration grace) throws IOException {
    if (PREFIX.isEmpty()) {
      return argv;
    }
    String program = Executables.find(argv.get(0), dir);
    List<String> cmd = new ArrayList<>(PREFIX.get());
    cmd.add(String.format(Locale.ROOT, "%d.%03d", grace.toSeconds(), grace.toMillisPart()));
    cmd.add(Executables.inPath("sleep").orElseThrow());
    cmd.add(env.containsKey("PWD") ? "=" + env.get("PWD") : "-");
    cmd.add(program);
    cmd.addAll(argv.subList(1, argv.size()));
    return cmd;
  }

  private static Optional<List<String>> prefix() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
        || !Files.isExecutable(Path.of("/bin/sh"))) {
      return Optional.empty();
    }
    Optional<String> setsid = Executables.inPath("setsid");
    if (setsid.isEmpty() || Executables.inPath("sleep").isEmpty()) {
      return Optional.empty();
    }
    // -w: should setsid ever have to fork, it still waits, so the guard's end is the program's.
    return Optional.of(List.of(setsid.get(), "-w", "/bin/sh", "-c", SCRIPT, NAME));
  }
}
