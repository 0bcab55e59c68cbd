package io.errand.server;

import io.errand.server.cli.DurationConverter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code errand demo}: seed 004's example pool, live. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Runs the Yao task-pool example live: 100 tasks on a pool of 10 workers with "
        + "progress, one failing then retried, one cancelled, one timing out, and a summary."})
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--tasks", defaultValue = "100", description = "How many tasks (default 100).")
  int tasks;

  @Option(names = "--workers", defaultValue = "10", description = "Pool size (default 10).")
  int workers;

  @Option(names = "--step", defaultValue = "100ms",
      description = "Average time of one of a task's 10 steps, e.g. 100ms or 1s (default 100ms).",
      converter = DurationConverter.class)
  Duration step;

  @Override
  public Integer call() {
    boolean live = System.console() != null && System.getenv("NO_COLOR") == null;
    Demo.Summary summary = new Demo(tasks, workers, step, new DemoScreen(System.out, live)).run();
    return summary.asExpected() ? 0 : 1;
  }
}
