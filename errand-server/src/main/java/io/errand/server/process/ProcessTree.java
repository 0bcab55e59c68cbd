package io.errand.server.process;

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
 * <p>The tree is read before any signal and remembered, because a process whose parent dies is
 * reparented (to init) and no longer shows among the root's descendants: a tree read after the
 * root's death would miss exactly the processes that must be ended. It is read again while
 * waiting, to catch processes started in the meantime.
 *
 * <p>Signals go from the leaves up. Before a parent is signalled in {@link #end}, its children
 * get a moment ({@link #LEVEL_PAUSE}) to exit and be reaped by that parent; a parent that died
 * first would leave them as zombies for init, which in a container may never reap them.
 *
 * <p>Thread-safe: {@link #terminate()} may run on a canceller's thread while the owner's thread
 * is in, or later enters, {@link #end}. Both share what has been remembered of the tree, so
 * processes that {@code terminate} saw before their parent died are still ended by {@code end}.
 * Only that memory is locked, never a wait, a signal or a read of {@code /proc}: a caller of
 * {@code terminate} is never held up by another thread's grace period.
 */
public final class ProcessTree {
  /** How long KILLed processes may take to disappear before {@link #end} gives up on them. */
  public static final Duration KILL_WAIT = Duration.ofSeconds(5);
  /** The longest a level of the tree waits for the level below it to be reaped. */
  private static final Duration LEVEL_PAUSE = Duration.ofMillis(100);
  /** Reading the tree scans every process of the machine: not at every poll. */
  private static final int POLLS_PER_REFRESH = 10;

  private final Map<Long, ProcessHandle> known = new LinkedHashMap<>(); // guarded by this

  /**
   * The tree under {@code root}. Nothing is read or signalled yet.
   *
   * @param root the process whose tree this is, usually a child of this JVM
   */
  public ProcessTree(ProcessHandle root) {
    known.put(root.pid(), root);
  }

  /**
   * Reads the tree and sends TERM to every live process of it, leaves first, without waiting
   * for any of them. For a thread that must not block (a cancel callback); whoever owns the
   * tree still calls {@link #end} to make sure it went.
   */
  public void terminate() {
    refresh();
    signalFromLeaves(false, null);
  }

  /**
   * Sends TERM to the whole tree, waits up to {@code grace} for every process of it to end,
   * then sends KILL to the ones left and waits up to {@link #KILL_WAIT} for them. Returns at
   * once if the tree has ended already. An interrupt does not cut this short (the processes
   * must go); the thread's interrupt status is set again on return.
   *
   * @param grace how long the processes get to exit after TERM
   * @return whether every process of the tree has ended
   */
  public boolean end(Duration grace) {
    try (ExitPoll poll = new ExitPoll()) {
      refresh();
      long deadline = System.nanoTime() + grace.toNanos();
      signalFromLeaves(false, poll);
      if (waitUntilEnded(deadline, false, poll)) {
        return true;
      }
      refresh();
      signalFromLeaves(true, poll);
      return waitUntilEnded(System.nanoTime() + KILL_WAIT.toNanos(), true, poll);
    }
  }

  /**
   * The pids of the processes seen in the tree so far, the root first.
   *
   * @return a copy, in the order the processes were first seen
   */
  public synchronized List<Long> pids() {
    return List.copyOf(known.keySet());
  }

  /**
   * Whether {@code h} no longer runs. A zombie counts as ended: it has exited and only waits for
   * its parent (or init) to collect its status, which no signal can hasten, and
   * {@link ProcessHandle#isAlive()} would count it alive until then.
   *
   * @param h any process, not necessarily of a tree
   * @return true if {@code h} has exited, whether or not it has been reaped
   */
  public static boolean ended(ProcessHandle h) {
    return !h.isAlive() || isZombie(h.pid());
  }

  private boolean waitUntilEnded(long deadline, boolean killing, ExitPoll poll) {
    int polls = 0;
    while (!allEnded()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      poll.pause();
      if (++polls % POLLS_PER_REFRESH == 0 && refresh() && killing) {
        // Started while we were killing: by a process not yet dead. It goes too.
        signalFromLeaves(true, poll);
      }
    }
    return true;
  }

  /**
   * Signals every live process, deepest first. With a {@code poll}, pauses between levels
   * (see the class doc); without one, does not wait at all.
   */
  private void signalFromLeaves(boolean kill, ExitPoll poll) {
    TreeMap<Integer, List<ProcessHandle>> levels = levels();
    for (Integer depth : levels.descendingKeySet()) {
      List<ProcessHandle> level = levels.get(depth);
      // A parent may have started a child since the tree was read (a shell goes on to its next
      // command once the child before it ended): once the parent is gone that child could no
      // longer be found, so it is taken in and signalled first.
      for (ProcessHandle h : level) {
        h.descendants().forEach(d -> {
          if (remember(d)) {
            signal(d, kill);
          }
        });
      }
      for (ProcessHandle h : level) {
        signal(h, kill);
      }
      if (depth > 0 && poll != null) {
        long until = System.nanoTime() + LEVEL_PAUSE.toNanos();
        while (level.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < until) {
          poll.pause(5);
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
    List<ProcessHandle> live = known().values().stream().filter(h -> !ended(h)).toList();
    Map<Long, Long> parentOf = new HashMap<>();
    for (ProcessHandle h : live) {
      h.parent().ifPresent(p -> parentOf.put(h.pid(), p.pid()));
    }
    TreeMap<Integer, List<ProcessHandle>> levels = new TreeMap<>();
    for (ProcessHandle h : live) {
      int depth = 0;
      Long p = parentOf.get(h.pid());
      // Bounded walk: pids of dead processes can be reused, so a cycle must not hang us.
      while (p != null && parentOf.containsKey(p) && depth < live.size()) {
        depth++;
        p = parentOf.get(p);
      }
      levels.computeIfAbsent(depth, d -> new ArrayList<>()).add(h);
    }
    return levels;
  }

  /**
   * Remembers the descendants of every live known process that has no live known parent.
   *
   * @return whether a process not seen before was found
   */
  private boolean refresh() {
    Map<Long, ProcessHandle> now = known();
    boolean found = false;
    for (ProcessHandle h : now.values()) {
      if (!ended(h) && h.parent().map(p -> isUnknownOrEnded(now, p)).orElse(true)) {
        for (ProcessHandle d : h.descendants().toList()) {
          found |= remember(d);
        }
      }
    }
    return found;
  }

  private static boolean isUnknownOrEnded(Map<Long, ProcessHandle> known, ProcessHandle p) {
    ProcessHandle k = known.get(p.pid());
    return k == null || ended(k);
  }

  private boolean allEnded() {
    return known().values().stream().allMatch(ProcessTree::ended);
  }

  /** A copy of what is remembered, to read {@code /proc} without holding the lock. */
  private synchronized Map<Long, ProcessHandle> known() {
    return new LinkedHashMap<>(known);
  }

  /** Remembers {@code h}; whether it was new. */
  private synchronized boolean remember(ProcessHandle h) {
    return known.putIfAbsent(h.pid(), h) == null;
  }

  private static boolean isZombie(long pid) {
    // Linux only; elsewhere the file is missing and isAlive alone decides.
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int close = stat.lastIndexOf(')'); // the name in parentheses may hold anything
      return close >= 0 && close + 2 < stat.length() && (stat.charAt(close + 2) == 'Z'
          || stat.charAt(close + 2) == 'X');
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
