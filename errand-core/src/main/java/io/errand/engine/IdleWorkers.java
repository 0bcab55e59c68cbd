package io.errand.engine;

import io.errand.spi.TaskRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The workers of one queue that wait for work, the longest waiting first: whom a signal wakes,
 * and to whom a worker that claimed for several hands their tasks.
 *
 * <p>A parked worker has no timer of its own: it stays parked until a signal wakes it (to
 * claim), another worker hands it a task, or the engine stops. A signal that finds no worker
 * parked is remembered, and the next worker about to park claims instead: so no signal is
 * lost, and a worker never claims twice in one idle cycle to close that window.
 *
 * <p>A worker is in the set at most once, so its size is bounded by the worker count however
 * long the queue idles. The lock is held only to change the set and the workers' states;
 * threads are unparked after it is released.
 */
final class IdleWorkers {
  /** Where a worker stands with this set. Guarded by the lock. */
  enum Standing {
    /** Not in the set: claiming or running. */
    AWAY,
    /** Parked in the set; a signal may choose it. */
    PARKED,
    /** Taken out by a worker that claims for it too; it gets a task or goes back. */
    RESERVED,
    /** Taken out by a signal: it claims when it runs. */
    WOKEN,
    /** Taken out with a task to run ({@code QueueRunner.Worker#handed}). */
    HANDED
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<QueueRunner.Worker> waiting = new ArrayDeque<>(); // guarded by lock
  /** A signal came while no worker was parked. Guarded by lock. */
  private boolean signalled;

  /**
   * Puts {@code w} in the set, parked; false, and {@code w} stays out, if a signal came while
   * no worker was parked: {@code w} claims instead.
   */
  boolean announce(QueueRunner.Worker w) {
    lock.lock();
    try {
      if (signalled) {
        signalled = false;
        return false;
      }
      w.standing = Standing.PARKED;
      waiting.addLast(w);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Parks the announced {@code w} until it is taken out: the task handed to it, or null when a
   * signal woke it (it claims next) or {@code go} turned false (the engine stops claiming).
   */
  TaskRecord await(QueueRunner.Worker w, BooleanSupplier go) {
    while (true) {
      lock.lock();
      try {
        switch (w.standing) {
          case HANDED -> {
            TaskRecord rec = w.handed;
            w.handed = null;
            w.standing = Standing.AWAY;
            return rec;
          }
          case WOKEN, AWAY -> {
            w.standing = Standing.AWAY;
            return null;
          }
          case PARKED -> {
            if (!go.getAsBoolean()) {
              waiting.remove(w);
              w.standing = Standing.AWAY;
              return null;
            }
          }
          case RESERVED -> { } // the reserving worker decides soon
        }
      } finally {
        lock.unlock();
      }
      LockSupport.park(this); // a wake that came first returns at once; spurious ones loop
    }
  }

  /** Takes {@code w} out if it is parked (a worker that exits); false if it was not. */
  boolean leave(QueueRunner.Worker w) {
    lock.lock();
    try {
      if (w.standing != Standing.PARKED) {
        return false;
      }
      waiting.remove(w);
      w.standing = Standing.AWAY;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the longest parked worker to claim; remembers the signal if none is parked. */
  void wakeOne() {
    QueueRunner.Worker w;
    lock.lock();
    try {
      w = waiting.pollFirst();
      if (w == null) {
        signalled = true;
      } else {
        w.standing = Standing.WOKEN;
      }
    } finally {
      lock.unlock();
    }
    if (w != null) {
      LockSupport.unpark(w.thread);
    }
  }

  /** Wakes every parked worker (the clock moved, or the engine stops). */
  void wakeAll() {
    List<QueueRunner.Worker> woken;
    lock.lock();
    try {
      woken = new ArrayList<>(waiting);
      waiting.clear();
      woken.forEach(w -> w.standing = Standing.WOKEN);
      signalled = true;
    } finally {
      lock.unlock();
    }
    woken.forEach(w -> LockSupport.unpark(w.thread));
  }

  /**
   * Takes up to {@code max} parked workers out for a claim made on their behalf: each then gets
   * a task from {@link #hand} or goes back with {@link #putBack}.
   */
  List<QueueRunner.Worker> reserve(int max) {
    List<QueueRunner.Worker> taken = new ArrayList<>();
    lock.lock();
    try {
      while (taken.size() < max && !waiting.isEmpty()) {
        QueueRunner.Worker w = waiting.pollLast(); // the most recently parked: still warm
        w.standing = Standing.RESERVED;
        taken.add(w);
      }
    } finally {
      lock.unlock();
    }
    return taken;
  }

  /** Gives the reserved {@code w} the task {@code rec} to run now, and unparks it. */
  void hand(QueueRunner.Worker w, TaskRecord rec) {
    lock.lock();
    try {
      w.handed = rec;
      w.standing = Standing.HANDED;
    } finally {
      lock.unlock();
    }
    LockSupport.unpark(w.thread);
  }

  /**
   * Parks the reserved workers {@code ws} again, where they were in line. A signal that came
   * meanwhile and found no parked worker wakes one of them now.
   */
  void putBack(List<QueueRunner.Worker> ws) {
    if (ws.isEmpty()) {
      return;
    }
    QueueRunner.Worker wake = null;
    lock.lock();
    try {
      for (QueueRunner.Worker w : ws) {
        w.standing = Standing.PARKED;
        waiting.addLast(w);
      }
      if (signalled) {
        signalled = false;
        wake = waiting.pollFirst();
        wake.standing = Standing.WOKEN;
      }
    } finally {
      lock.unlock();
    }
    if (wake != null) {
      LockSupport.unpark(wake.thread);
    }
  }

  /** How many workers are parked now. */
  int size() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }
}
