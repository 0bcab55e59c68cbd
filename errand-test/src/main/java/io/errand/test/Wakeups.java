package io.errand.test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A generation counter that events and hand-offs bump, so that a waiter re-checks its condition
 * after every change and never misses one that came between its check and its wait.
 */
final class Wakeups {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long generation;

  /** The generation to wait past once the caller has checked its condition. */
  long generation() {
    lock.lock();
    try {
      return generation;
    } finally {
      lock.unlock();
    }
  }

  /** Something changed: wake every waiter. */
  void bump() {
    lock.lock();
    try {
      generation++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the generation moves past {@code seen} or {@code nanos} pass.
   *
   * @return the nanoseconds left
   */
  long awaitPast(long seen, long nanos) throws InterruptedException {
    lock.lock();
    try {
      long left = nanos;
      while (generation == seen && left > 0) {
        left = changed.awaitNanos(left);
      }
      return left;
    } finally {
      lock.unlock();
    }
  }

  static long nanos(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
