package io.errand.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The workers of one queue that wait for work, the longest waiting first: whom a signal wakes.
 *
 * <p>A worker is in it at most once, from {@link #announce} until a wake-up takes it or it
 * {@link #leave}s by itself, so its size is bounded by the worker count however long the queue
 * idles. The lock is held only to change the set; the chosen thread is unparked after it is
 * released.
 */
final class IdleWorkers {
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<QueueRunner.Worker> waiting = new ArrayDeque<>(); // guarded by lock

  /** Adds {@code w} unless it is in already. */
  void announce(QueueRunner.Worker w) {
    lock.lock();
    try {
      if (!w.announced) {
        w.announced = true;
        waiting.addLast(w);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Takes {@code w} out; false if it was not in (a wake-up took it). */
  boolean leave(QueueRunner.Worker w) {
    lock.lock();
    try {
      if (!w.announced) {
        return false;
      }
      w.announced = false;
      waiting.remove(w);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Takes the longest waiting worker out and unparks it; does nothing if none waits. */
  void wakeOne() {
    QueueRunner.Worker w;
    lock.lock();
    try {
      w = waiting.pollFirst();
      if (w != null) {
        w.announced = false;
      }
    } finally {
      lock.unlock();
    }
    if (w != null) {
      LockSupport.unpark(w.thread);
    }
  }

  /** Takes every waiting worker out and unparks them. */
  void wakeAll() {
    List<QueueRunner.Worker> woken;
    lock.lock();
    try {
      woken = new ArrayList<>(waiting);
      waiting.clear();
      woken.forEach(w -> w.announced = false);
    } finally {
      lock.unlock();
    }
    woken.forEach(w -> LockSupport.unpark(w.thread));
  }

  /** How many workers are in it now. */
  int size() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }
}
