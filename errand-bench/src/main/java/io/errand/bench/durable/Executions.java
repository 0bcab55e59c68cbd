package io.errand.bench.durable;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many times each task's handler ran, counted by the handler itself: task {@code i} of a
 * run is submitted with argument {@code i}, and its handler calls {@link #record(int)}. A task
 * run twice is a duplicate, whatever the store says about it.
 */
public final class Executions {
  private final AtomicIntegerArray runs;
  private final AtomicIntegerArray accepted;
  private final AtomicInteger distinct = new AtomicInteger();
  private final AtomicLong total = new AtomicLong();
  private volatile long firstNanos;

  public Executions(int tasks) {
    this.runs = new AtomicIntegerArray(tasks);
    this.accepted = new AtomicIntegerArray(tasks);
  }

  /** Called once the system accepted task {@code task} (its submit returned). */
  public void accepted(int task) {
    accepted.set(task, 1);
  }

  /** Called by the handler of task {@code task}, once per execution. */
  public void record(int task) {
    if (total.getAndIncrement() == 0) {
      firstNanos = System.nanoTime();
    }
    if (runs.getAndIncrement(task) == 0) {
      distinct.incrementAndGet();
    }
  }

  /** Tasks that ran at least once. */
  public int distinct() {
    return distinct.get();
  }

  /** Executions in all. */
  public long total() {
    return total.get();
  }

  /** {@link System#nanoTime()} of the first execution, 0 if none. */
  public long firstNanos() {
    return firstNanos;
  }

  /** Tasks that ran more than once. */
  public int duplicated() {
    int n = 0;
    for (int i = 0; i < runs.length(); i++) {
      if (runs.get(i) > 1) {
        n++;
      }
    }
    return n;
  }

  /** Accepted tasks that never ran. */
  public int neverRan() {
    int n = 0;
    for (int i = 0; i < runs.length(); i++) {
      if (accepted.get(i) == 1 && runs.get(i) == 0) {
        n++;
      }
    }
    return n;
  }
}
