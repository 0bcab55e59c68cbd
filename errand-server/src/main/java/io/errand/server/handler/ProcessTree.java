package io.errand.server.handler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ends a process and everything it started: TERM, up to a grace period for the processes to
 * exit, then KILL for whatever is left.
 *
 * <p>The tree is read before any signal and kept, because a process whose parent dies is
 * reparented (to init) and no longer shows among the root's descendants: a tree read after the
 * root's death would miss exactly the processes that must be ended. It is read again while
 * waiting, to catch processes started in the meantime.
 *
 * <p>Signals go from the leaves up. Before a parent is signalled, its children get a moment
 * ({@link #LEVEL_PAUSE}) to exit and be reaped by that parent; a parent that died first would
 * leave them as zombies for init, which in a container may never reap them.
 */
final class ProcessTree {
  /** The longest a level of the tree waits for the level below it to be reaped. */
  static final Duration LEVEL_PAUSE = Duration.ofMillis(100);
  /** How long KILLed processes may take to disappear before we give up on them. */
  static final Duration KILL_WAIT = Duration.ofSeconds(5);
  private static final long POLL_MILLIS = 20;
  /** Reading the tree scans every process of the machine: not at every poll. */
  private static final int POLLS_PER_REFRESH = 10;

  private final Map<Long, ProcessHandle> known = new LinkedHashMap<>();
  private boolean interrupted;

  /** The tree under {@code root}, not yet read. Used by one thread. */
  ProcessTree(ProcessHandle root) {
    known.put(root.pid(), root);
  }

  /**
   * Sends TERM to the whole tree, waits up to {@code grace} for every process of it to end,
   * then sends KILL to the ones left and waits for them. Returns at once if the tree has ended
   * already. An interrupt does not cut this short (the processes must go); the thread's
   * interrupt status is set again on return.
   *
   * @return whether every process of the tree has ended
   */
  boolean end(Duration grace) {
    try {
      refresh();
      long deadline = System.nanoTime() + grace.toNanos();
      signalFromLeaves(false);
      if (waitUntilEnded(deadline, false)) {
        return true;
      }
      refresh();
      signalFromLeaves(true);
      return waitUntilEnded(System.nanoTime() + KILL_WAIT.toNanos(), true);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The pids of the processes seen in the tree so far. */
  List<Long> pids() {
    return List.copyOf(known.keySet());
  }

  private boolean waitUntilEnded(long deadline, boolean killing) {
    int polls = 0;
    while (!allEnded()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      pause(POLL_MILLIS);
      if (++polls % POLLS_PER_REFRESH == 0) {
        int before = known.size();
        refresh();
        if (killing && known.size() > before) {
          // Started while we were killing: by a process not yet dead. It goes too.
          signalFromLeaves(true);
        }
      }
    }
    return true;
  }

  /** Signals every live process, deepest first, pausing between levels (see the class doc). */
  private void signalFromLeaves(boolean kill) {
    TreeMap<Integer, List<ProcessHandle>> levels = levels();
    for (Integer depth : levels.descendingKeySet()) {
      List<ProcessHandle> level = levels.get(depth);
      // A parent may have started a child since the tree was read (a shell goes on to its next
      // command once the child before it ended): once the parent is gone that child could no
      // longer be found, so it is taken in and signalled first.
      for (ProcessHandle h : level) {
        h.descendants().forEach(d -> {
          if (known.putIfAbsent(d.pid(), d) == null) {
            signal(d, kill);
          }
        });
      }
      for (ProcessHandle h : level) {
        signal(h, kill);
      }
      if (depth > 0) {
        long until = System.nanoTime() + LEVEL_PAUSE.toNanos();
        while (level.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < until) {
          pause(5);
        }
      }
    }
  }

  private static void signal(ProcessHandle h, boolean kill) {
    if (kill) {
      h.destroyForcibly();
    } else {
      h.destroy();
    }
  }

  /** The live processes by depth below their top-most live known ancestor. */
  private TreeMap<Integer, List<ProcessHandle>> levels() {
    Map<Long, Long> parentOf = new HashMap<>();
    for (ProcessHandle h : known.values()) {
      if (!ended(h)) {
        h.parent().ifPresent(p -> parentOf.put(h.pid(), p.pid()));
      }
    }
    TreeMap<Integer, List<ProcessHandle>> levels = new TreeMap<>();
    for (ProcessHandle h : known.values()) {
      if (ended(h)) {
        continue;
      }
      int depth = 0;
      Long p = parentOf.get(h.pid());
      // Bounded walk: pids of dead processes can be reused, so a cycle must not hang us.
      while (p != null && parentOf.containsKey(p) && depth < known.size()) {
        depth++;
        p = parentOf.get(p);
      }
      levels.computeIfAbsent(depth, d -> new ArrayList<>()).add(h);
    }
    return levels;
  }

  /** Adds the descendants of every live known process that has no live known parent. */
  private void refresh() {
    List<ProcessHandle> tops = new ArrayList<>();
    for (ProcessHandle h : known.values()) {
      if (!ended(h) && h.parent().map(this::isUnknownOrEnded).orElse(true)) {
        tops.add(h);
      }
    }
    for (ProcessHandle t : tops) {
      t.descendants().forEach(d -> known.putIfAbsent(d.pid(), d));
    }
  }

  private boolean isUnknownOrEnded(ProcessHandle p) {
    ProcessHandle k = known.get(p.pid());
    return k == null || ended(k);
  }

  private boolean allEnded() {
    for (ProcessHandle h : known.values()) {
      if (!ended(h)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code h} no longer runs. A zombie counts as ended: it has exited and only waits for
   * its parent (or init) to collect its status, which no signal can hasten.
   */
  static boolean ended(ProcessHandle h) {
    return !h.isAlive() || isZombie(h.pid());
  }

  private static boolean isZombie(long pid) {
    // Linux only; elsewhere the file is missing and isAlive alone decides.
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int close = stat.lastIndexOf(')');
      return close >= 0 && close + 2 < stat.length() && (stat.charAt(close + 2) == 'Z'
          || stat.charAt(close + 2) == 'X');
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      interrupted = true;
    }
  }
}
