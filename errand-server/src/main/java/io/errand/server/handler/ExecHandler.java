package io.errand.server.handler;

import io.errand.api.NonRetryableException;
import io.errand.api.TaskContext;
import io.errand.api.TaskHandler;
import io.errand.server.process.Children;
import io.errand.server.process.ProcessTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one attempt of an exec task: starts the configured program (its argv never read by a
 * shell) under a {@link io.errand.server.process.ProgramGuard}, reads its output, and ends its
 * whole process tree when the attempt is cancelled, times out or its thread is interrupted.
 */
final class ExecHandler implements TaskHandler<Object, Object> {
  private static final Logger log = LoggerFactory.getLogger(ExecHandler.class);
  /**
   * How long to wait for the output pipes to close once the program exited. A background
   * process it left behind may hold them open; its output is then not waited for.
   */
  private static final Duration LINGER = Duration.ofSeconds(2);
  // The JDK's words for a failed start, which vary by release and launch mechanism:
  //   Cannot run program "x" (in directory "d"): error=2, No such file or directory
  //   Cannot run program "x": Exec failed, error: 2 (No such file or directory)
  private static final Pattern ERRNO =
      Pattern.compile("error(?:=(\\d+), (.+)|: (\\d+) \\(([^)]*)\\))");
  /** ENOENT, EACCES, ENOEXEC, ENOTDIR, EISDIR: another try would meet the same file. */
  private static final List<Integer> NOT_RUNNABLE = List.of(2, 13, 8, 20, 21);

  private final CommandTemplate command;
  private final Path dir;
  private final ExecEnvironment env;
  private final Duration grace;
  private final int maxOutput;
  private final Children children;

  ExecHandler(CommandTemplate command, Path dir, ExecEnvironment env, Duration grace,
      int maxOutput, Children children) {
    this.command = command;
    this.dir = dir;
    this.env = env;
    this.grace = grace;
    this.maxOutput = maxOutput;
    this.children = children;
  }

  @Override
  public Object run(TaskContext<Object> ctx) throws Exception {
    List<String> argv = command.render(ctx.args());
    // The engine runs this on a stop (cancel, time-out, shutdown) and then interrupts us; the
    // future wakes the wait below even if the interrupt were lost, and the slow part (grace,
    // KILL) then runs on this thread, not on the engine's.
    CompletableFuture<Void> stop = new CompletableFuture<>();
    ctx.onCancel(() -> stop.complete(null));
    ctx.checkpoint();
    ProcessBuilder pb = builder(argv, ctx);
    // Secret values the program got: masked in whatever its output becomes.
    List<String> secrets = env.apply(pb.environment());
    putTaskVariables(pb.environment(), ctx);
    Process p = start(pb, ctx);
    ExecOutput out = new ExecOutput(ctx, maxOutput, secrets);
    String name = "errand-exec-" + ctx.id() + "-";
    Thread stdout = LinePump.start(name + "stdout", p.getInputStream(), maxOutput,
        out::stdoutLine);
    Thread stderr = LinePump.start(name + "stderr", p.getErrorStream(), ExecOutput.STDERR_CHARS,
        out::stderrLine);
    boolean interrupted = false;
    try {
      CompletableFuture.anyOf(p.onExit(), stop).get();
    } catch (InterruptedException e) {
      interrupted = true;
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for the program failed", e.getCause());
    }
    if (stop.isDone() || interrupted) {
      ProcessTree tree = new ProcessTree(p.toHandle());
      if (!tree.end(grace)) {
        log.warn("task {}: processes {} of '{}' did not end even after KILL", ctx.id(),
            tree.pids(), command.program());
      }
      join(stdout, stderr);
      ctx.checkpoint(); // throws for a stop: the engine records it as cancel or time-out
      Thread.currentThread().interrupt();
      throw new InterruptedException("the worker thread was interrupted; '" + command.program()
          + "' and its processes were stopped");
    }
    int code = p.exitValue();
    join(stdout, stderr);
    if (code != 0) {
      throw new ExitStatusException(code, out.stderrTail(), out.outputTail());
    }
    return out.result(code);
  }

  private ProcessBuilder builder(List<String> argv, TaskContext<Object> ctx) {
    if (dir != null && !Files.isDirectory(dir)) {
      throw new NonRetryableException("working directory '" + dir + "' does not exist or is not"
          + " a directory");
    }
    ProcessBuilder pb = new ProcessBuilder(argv);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    return pb;
  }

  /** The task's own variables, set whatever {@code inherit_env} and {@code env} say. */
  private static void putTaskVariables(Map<String, String> e, TaskContext<Object> ctx) {
    e.put("ERRAND_TASK_ID", Long.toString(ctx.id()));
    e.put("ERRAND_ATTEMPT", Integer.toString(ctx.attempt()));
    e.put("ERRAND_QUEUE", ctx.queue());
  }

  private Process start(ProcessBuilder pb, TaskContext<Object> ctx) throws IOException {
    Process p;
    try {
      // Its stdin stays open: the guard ends the program when this JVM dies and closes it.
      p = children.start(pb, grace);
    } catch (IOException ex) {
      throw cannotRun(ex);
    }
    log.debug("task {} attempt {}: started '{}' as pid {}", ctx.id(), ctx.attempt(),
        command.program(), p.pid());
    return p;
  }

  private RuntimeException cannotRun(IOException ex) {
    String msg = String.valueOf(ex.getMessage());
    Matcher m = ERRNO.matcher(msg);
    boolean hasErrno = m.find();
    int errno = !hasErrno ? -1 : Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(3));
    String why = !hasErrno ? msg : (m.group(2) != null ? m.group(2) : m.group(4)).trim();
    String text = "cannot run program '" + command.program() + "': " + why;
    boolean notRunnable = hasErrno ? NOT_RUNNABLE.contains(errno)
        : msg.contains("No such file") || msg.contains("Permission denied");
    if (notRunnable) {
      return new NonRetryableException(text);
    }
    // EAGAIN, ENOMEM and the like pass: let the queue's attempts try again.
    return new IllegalStateException(text);
  }

  /** Waits (at most {@link #LINGER}) for the pumps to read their pipes to the end. */
  private static void join(Thread... pumps) {
    long deadline = System.nanoTime() + LINGER.toNanos();
    boolean interrupted = false;
    for (Thread t : pumps) {
      while (t.isAlive() && deadline - System.nanoTime() > 0) {
        try {
          t.join(Duration.ofNanos(deadline - System.nanoTime()));
        } catch (InterruptedException e) {
          // The output read so far is still wanted (the result, the stderr tail): finish waiting.
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
