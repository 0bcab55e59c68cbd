package io.errand.server;

import io.errand.api.Backoff;
import io.errand.api.CancelResult;
import io.errand.api.Errand;
import io.errand.api.QueueMetrics;
import io.errand.api.QueueSpec;
import io.errand.api.TaskContext;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Seed 004's example pool, run for real: {@code tasks} tasks of 10 progress steps on
 * {@code workers} workers, with three that misbehave on purpose: one fails once and is retried,
 * one is cancelled while it runs, and one hangs until its time-out (on every attempt).
 */
final class Demo {
  static final String QUEUE = "example";
  private static final int STEPS = 10;

  /** What a demo task does. */
  enum Behaviour { NORMAL, FLAKY, CANCELLED, HANGS }

  /** The arguments of a demo task. */
  record Job(int n, Behaviour behaviour) {}

  /** The outcome: the three special tasks and the queue's figures at the end. */
  record Summary(List<TaskInfo> tasks, TaskInfo flaky, TaskInfo cancelled, TaskInfo hung,
      QueueMetrics metrics) {
    long count(TaskStatus status) {
      return tasks.stream().filter(t -> t.status() == status).count();
    }

    /** Everything happened as the demo intends. */
    boolean asExpected() {
      return flaky.status() == TaskStatus.SUCCESS && flaky.attempt() == 2
          && cancelled.status() == TaskStatus.CANCELLED
          && hung.status() == TaskStatus.FAILURE
          && count(TaskStatus.SUCCESS) == tasks.size() - 2;
    }
  }

  private final int taskCount;
  private final int workers;
  private final Duration step;
  private final DemoScreen screen;

  Demo(int taskCount, int workers, Duration step, DemoScreen screen) {
    if (taskCount < 3) {
      throw new IllegalArgumentException("the demo needs at least 3 tasks, got " + taskCount);
    }
    this.taskCount = taskCount;
    this.workers = workers;
    this.step = step;
    this.screen = screen;
  }

  Summary run() {
    Duration timeout = step.multipliedBy(STEPS * 3L);
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder(QUEUE, Job.class, this::work)
            .workers(workers).capacity(taskCount).attempts(3)
            .backoff(Backoff.fixed(step.multipliedBy(5))).timeout(timeout)
            .cancelGrace(Duration.ofSeconds(2)).build())
        .build()) {
      screen.intro(taskCount, workers, timeout);
      int flakyAt = Math.min(12, taskCount - 1);
      int cancelAt = taskCount / 2;
      int hangAt = Math.max(0, taskCount - 3);
      List<Long> ids = new ArrayList<>(taskCount);
      for (int n = 0; n < taskCount; n++) {
        Behaviour b = n == flakyAt ? Behaviour.FLAKY : n == cancelAt ? Behaviour.CANCELLED
            : n == hangAt ? Behaviour.HANGS : Behaviour.NORMAL;
        ids.add(errand.submit(QUEUE, new Job(n + 1, b)));
      }
      long toCancel = ids.get(cancelAt);
      boolean cancelSent = false;
      while (!allFinished(errand, ids)) {
        TaskInfo victim = errand.get(toCancel).orElseThrow();
        if (!cancelSent && victim.status() == TaskStatus.RUNNING && victim.current() >= 3) {
          CancelResult r = errand.cancel(toCancel, "cancelled by the demo while running");
          screen.note("cancelled task " + toCancel + " at step " + victim.current() + ": "
              + (r instanceof CancelResult.Stopping ? "it is stopping" : r.toString()));
          cancelSent = true;
        }
        screen.frame(errand, ids);
        LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // the refresh rate of the screen
      }
      List<TaskInfo> finals = ids.stream().map(id -> errand.get(id).orElseThrow()).toList();
      Summary summary = new Summary(finals, finals.get(flakyAt), finals.get(cancelAt),
          finals.get(hangAt), errand.metrics(QUEUE));
      screen.summary(summary);
      return summary;
    }
  }

  private static boolean allFinished(Errand errand, List<Long> ids) {
    return ids.stream().allMatch(id -> errand.get(id).map(TaskInfo::isFinished).orElse(true));
  }

  private Object work(TaskContext<Job> ctx) throws Exception {
    Job job = ctx.args();
    long stepNanos = step.toNanos();
    for (int i = 1; i <= STEPS; i++) {
      ctx.checkpoint();
      if (job.behaviour() == Behaviour.HANGS && i == 2) {
        Thread.sleep(Duration.ofHours(1)); // stands for a call that never answers
      }
      while (job.behaviour() == Behaviour.CANCELLED && i == 4) {
        ctx.checkpoint(); // stuck at step 3 until the demo cancels it, however busy the machine
        Thread.sleep(step);
      }
      Thread.sleep(Duration.ofNanos(
          (long) (stepNanos * (0.5 + ThreadLocalRandom.current().nextDouble()))));
      if (job.behaviour() == Behaviour.FLAKY && ctx.attempt() == 1 && i == 5) {
        throw new IOException("connection reset by peer (simulated, attempt 1 only)");
      }
      ctx.progress(i, STEPS, "step " + i + "/" + STEPS);
    }
    return "job " + job.n() + " done";
  }
}
