package io.errand.server.process;

import java.time.Duration;
import java.util.List;

/**
 * Ends a process group: TERM to every member, up to a grace period, then KILL to whatever is
 * left, reading the members again while waiting so that a process forked meanwhile goes too.
 * Members are found by their group id in {@code /proc}, and signalled through
 * {@link ProcessHandle}, which checks the start time it read against the pid's before signalling:
 * a pid that was reused between the read and the signal is left alone.
 */
public final class ProcessGroup {
  private ProcessGroup() {}

  /**
   * Sends TERM to every process of group {@code pgrp} (none with a zero grace), waits up to
   * {@code grace} for them to exit, then KILLs the rest and waits up to
   * {@link ProcessTree#KILL_WAIT}. An interrupt does not cut this short; the interrupt status is
   * set again on return.
   *
   * @return whether no process of the group is left
   */
  public static boolean end(long pgrp, Duration grace) {
    try (ExitPoll poll = new ExitPoll()) {
      if (!grace.isZero() && !grace.isNegative()) {
        signal(ProcStat.group(pgrp), false);
        long deadline = System.nanoTime() + grace.toNanos();
        while (!ProcStat.group(pgrp).isEmpty() && System.nanoTime() - deadline < 0) {
          poll.pause();
        }
      }
      long deadline = System.nanoTime() + ProcessTree.KILL_WAIT.toNanos();
      List<ProcStat> left = ProcStat.group(pgrp);
      while (!left.isEmpty()) {
        signal(left, true);
        if (System.nanoTime() - deadline >= 0) {
          return false;
        }
        poll.pause();
        left = ProcStat.group(pgrp);
      }
      return true;
    }
  }

  /**
   * Whether group {@code pgrp} still runs and is the one whose leader started at
   * {@code startTime}: its leader, if alive, has that start time; if the leader is gone, the
   * kernel does not give its pid to another process while members of its group remain, so the
   * members are the recorded group's.
   *
   * @param startTime the leader's start time ({@link ProcStat#startTime()}) when recorded
   */
  public static boolean isStill(long pgrp, long startTime) {
    if (ProcStat.group(pgrp).isEmpty()) {
      return false;
    }
    return ProcStat.of(pgrp).map(leader -> leader.startTime() == startTime).orElse(true);
  }

  private static void signal(List<ProcStat> members, boolean kill) {
    for (ProcStat m : members) {
      ProcessHandle.of(m.pid()).ifPresent(h -> {
        if (kill) {
          h.destroyForcibly();
        } else {
          h.destroy();
        }
      });
    }
  }
}
