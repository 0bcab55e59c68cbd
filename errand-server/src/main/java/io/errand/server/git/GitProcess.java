package io.errand.server.git;

import io.errand.server.process.Children;
import io.errand.server.process.ProcessTree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of the git executable as a child process, its argv never read by a shell (the guard
 * it runs under passes it on as it is, see {@link io.errand.server.process.ProgramGuard}), so
 * nothing in a URL or branch name is ever interpreted.
 *
 * <p>Stderr is split into lines on {@code \n} and {@code \r} (git redraws progress with
 * {@code \r}) and each line goes to a listener; the last non-progress lines are kept for the
 * error message. A run ends in one of three ways: git exited, the time-out passed, or it was
 * stopped (cancel, shutdown). In the last two the whole process tree is ended by a
 * {@link ProcessTree}: TERM to git and every descendant, KILL to whatever is still alive after
 * {@link #KILL_GRACE}.
 */
final class GitProcess {
  /** How long git and its helpers get to exit after TERM before they are killed. */
  static final Duration KILL_GRACE = Duration.ofSeconds(2);
  private static final int TAIL_LINES = 30;
  private static final int MAX_STDOUT = 1 << 20;

  /** How a run ended. */
  enum End { EXITED, TIMED_OUT, STOPPED }

  /**
   * What a run left behind.
   *
   * @param end    how it ended
   * @param exit   git's exit code (meaningful for {@link End#EXITED} only)
   * @param stdout what git printed on stdout, trimmed
   * @param errors the last lines of stderr that were not progress, oldest first
   */
  record Result(End end, int exit, String stdout, List<String> errors) {
    boolean ok() {
      return end == End.EXITED && exit == 0;
    }
  }

  private final List<String> argv;
  private final Path dir;
  private final Map<String, String> env;
  private final Duration timeout;
  private final Consumer<String> onStderrLine;
  private final Children children;

  /**
   * A run of {@code argv} in {@code dir}.
   *
   * @param env          variables to set (a null value removes the variable)
   * @param onStderrLine gets every stderr line, on a reader thread
   * @param children     where git is started (under a guard) and recorded
   */
  GitProcess(List<String> argv, Path dir, Map<String, String> env, Duration timeout,
      Consumer<String> onStderrLine, Children children) {
    this.argv = List.copyOf(argv);
    this.dir = dir;
    this.env = env;
    this.timeout = timeout;
    this.onStderrLine = onStderrLine;
    this.children = children;
  }

  /**
   * Runs git to its end and returns how it ended. An interrupt of the calling thread counts as a
   * stop; the interrupt status is set again on return.
   *
   * @throws IOException if the executable could not be started (not installed, not executable)
   */
  Result run(GitStopper stopper) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
    Map<String, String> e = pb.environment();
    env.forEach((k, v) -> {
      if (v == null) {
        e.remove(k);
      } else {
        e.put(k, v);
      }
    });
    // Git gets /dev/null as stdin, never a prompt; the pipe to the guard stays open.
    Process p = children.start(pb, KILL_GRACE);
    // Read and remembered by the stopper's TERM as well as by the kill below: helpers that
    // TERM orphaned are found again by the kill.
    ProcessTree tree = new ProcessTree(p.toHandle());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Deque<String> tail = new ArrayDeque<>();
    Thread outReader = Thread.ofVirtual().name("git-stdout-" + p.pid())
        .start(() -> copy(p.getInputStream(), out));
    Thread errReader = Thread.ofVirtual().name("git-stderr-" + p.pid())
        .start(() -> lines(p.getErrorStream(), tail));
    End end;
    boolean interrupted = false;
    try {
      if (!stopper.attach(tree)) {
        end = End.STOPPED;
      } else if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        // A stop that TERMed git may let it exit on its own before the interrupt arrives.
        end = stopper.stopped() ? End.STOPPED : End.EXITED;
      } else {
        end = End.TIMED_OUT;
      }
    } catch (InterruptedException ie) {
      interrupted = true;
      end = End.STOPPED;
    } finally {
      stopper.detach();
    }
    if (end != End.EXITED) {
      // Not cut short by an interrupt. A process that survives KILL (stuck in the kernel) is
      // beyond reach; the result says the run did not exit, which is all there is to report.
      tree.end(KILL_GRACE);
      // end() set the status again; cleared until the readers are joined, then set below.
      interrupted |= Thread.interrupted();
    }
    interrupted |= join(outReader);
    interrupted |= join(errReader);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    String stdout;
    synchronized (out) {
      stdout = out.toString(StandardCharsets.UTF_8).trim();
    }
    List<String> errors;
    synchronized (tail) {
      errors = new ArrayList<>(tail);
    }
    return new Result(end, end == End.EXITED ? p.exitValue() : -1, stdout, errors);
  }

  /**
   * Whether {@code h} is still running: the opposite of {@link ProcessTree#ended}, which counts
   * a zombie as ended (a helper re-parented to init may wait seconds to be reaped).
   */
  static boolean isRunning(ProcessHandle h) {
    return !ProcessTree.ended(h);
  }

  private static boolean join(Thread t) {
    // Bounded: a killed tree closes its pipes, but a grandchild that escaped the kill must not
    // hold the task forever.
    long until = System.nanoTime() + KILL_GRACE.toNanos();
    boolean interrupted = false;
    while (t.isAlive()) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        t.join(Duration.ofNanos(left));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    return interrupted;
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (out) {
          if (out.size() < MAX_STDOUT) {
            out.write(buf, 0, Math.min(n, MAX_STDOUT - out.size()));
          }
        }
      }
    } catch (IOException e) {
      // The pipe closes when the process is killed; what was read is all there is.
    }
  }

  private void lines(InputStream in, Deque<String> tail) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b == '\n' || b == '\r') {
            emit(line, tail);
          } else if (line.size() < 4096) {
            line.write(b);
          }
        }
      }
    } catch (IOException e) {
      // As in copy(): a closed pipe ends the reading.
    }
    emit(line, tail);
  }

  private void emit(ByteArrayOutputStream line, Deque<String> tail) {
    String s = line.toString(StandardCharsets.UTF_8).strip();
    line.reset();
    if (s.isEmpty()) {
      return;
    }
    if (!GitProgress.isProgress(s)) {
      synchronized (tail) {
        if (tail.size() == TAIL_LINES) {
          tail.removeFirst();
        }
        tail.addLast(s);
      }
    }
    try {
      onStderrLine.accept(s);
    } catch (RuntimeException e) {
      // The pipe must keep draining, or git blocks writing to it; a lost update is harmless.
    }
  }
}
