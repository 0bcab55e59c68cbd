package io.errand.server.process;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The programs this JVM started for one data directory (exec tasks, supervisor keys, hooks,
 * git): started under a {@link ProgramGuard}, recorded on disk while they run, and ended
 * together when the server stops.
 *
 * <p>The record is a directory {@code <data dir>/children/<jvm pid>-<jvm start time>} holding
 * the boot id and one empty file {@code <group id>-<start time>} per live program. A record
 * whose JVM is no longer running is read by {@link Survivors} at the next start. The
 * directories are created with the first program, so a server that starts none writes nothing.
 *
 * <p>A group outlives its guard when the guard is killed, or when the program exits and leaves
 * processes behind; it then stays recorded (and is ended by {@link #killAll}) until none of
 * its processes is left.
 */
public final class Children {
  private static final Logger log = LoggerFactory.getLogger(Children.class);
  /** The record's directory under the data directory. */
  static final String RECORDS = "children";
  static final String BOOT_FILE = "boot";
  private static final ConcurrentMap<Path, Children> BY_DATA_DIR = new ConcurrentHashMap<>();
  private static final Children UNRECORDED = new Children(null);
  /** Groups left by exited guards that are kept before they are looked at again. */
  private static final int PRUNE_SLACK = 32;

  private final Path records; // null: not recorded on disk
  private final Set<Process> live = ConcurrentHashMap.newKeySet();
  /** The recorded groups by id; the guard of some may have exited. */
  private final ConcurrentMap<Long, Group> groups = new ConcurrentHashMap<>();
  /** The recorded groups whose guard has exited. */
  private final Set<Long> orphaned = ConcurrentHashMap.newKeySet();
  private volatile boolean recordFailed;

  private Children(Path records) {
    this.records = records;
  }

  /**
   * The children of the server on {@code dataDir}; one instance per directory in this JVM.
   *
   * @param dataDir the server's data directory; null for children recorded nowhere (tests)
   */
  public static Children of(Path dataDir) {
    if (dataDir == null) {
      return UNRECORDED;
    }
    Path dir = dataDir.toAbsolutePath().normalize();
    return BY_DATA_DIR.computeIfAbsent(dir, d -> new Children(
        jvmName().map(n -> d.resolve(RECORDS).resolve(n)).orElse(null)));
  }

  /**
   * Starts {@code pb}'s command under a guard and records it until it exits. The caller must
   * leave the process's stdin open (the guard ends the program when it closes) and may read
   * its stdout and stderr as usual.
   *
   * @param grace how long the program may take to exit after TERM once this JVM died
   * @throws IOException as {@link ProcessBuilder#start()} does, also when the program file is
   *     missing or not executable
   */
  public Process start(ProcessBuilder pb, Duration grace) throws IOException {
    List<String> argv = List.copyOf(pb.command());
    pb.command(ProgramGuard.command(argv, pb.directory(), pb.environment(), grace));
    Process p;
    try {
      p = pb.start();
    } finally {
      pb.command(argv);
    }
    live.add(p);
    if (orphaned.size() > PRUNE_SLACK) {
      pruneOrphaned();
    }
    if (!ProgramGuard.available()) {
      // No guard reads it: closing it gives a program that reads it EOF, not a hang.
      p.getOutputStream().close();
    }
    Optional<ProcStat> stat = ProgramGuard.available() ? ProcStat.of(p.pid()) : Optional.empty();
    stat.ifPresent(s -> {
      orphaned.remove(p.pid()); // an earlier group of this id has ended: the pid was free
      groups.put(p.pid(), new Group(s.startTime(), record(p, s)));
    });
    p.onExit().thenRun(() -> {
      live.remove(p);
      stat.ifPresent(s -> forgetIfEnded(p.pid(), s.startTime()));
    });
    return p;
  }

  /** Forgets a group none of whose processes is left; one left keeps it recorded. */
  private void forgetIfEnded(long pgrp, long startTime) {
    Group g = groups.get(pgrp);
    if (g == null || g.startTime() != startTime) {
      return;
    }
    if (ProcessGroup.isStill(pgrp, startTime)) {
      orphaned.add(pgrp);
    } else {
      forget(pgrp, g);
    }
  }

  /** Forgets the orphaned groups that have ended since, reading the processes once. */
  private void pruneOrphaned() {
    Set<Long> running = ProcStat.running().stream().map(ProcStat::pgrp)
        .collect(Collectors.toSet());
    for (Long pgrp : List.copyOf(orphaned)) {
      Group g = groups.get(pgrp);
      if (g != null && !running.contains(pgrp)) {
        forget(pgrp, g);
      }
    }
  }

  private void forget(long pgrp, Group g) {
    if (groups.remove(pgrp, g)) {
      orphaned.remove(pgrp);
      g.file().ifPresent(Children::delete);
    }
  }

  /**
   * KILLs every program still running and everything it started (its group, and descendants
   * that left it), and waits up to {@link ProcessTree#KILL_WAIT} until they are gone. For the
   * end of a shutdown: whatever a drain left behind must not outlive the server.
   *
   * @return how many processes were found running
   */
  public int killAll() {
    List<ProcessHandle> found = new ArrayList<>();
    for (Process p : List.copyOf(live)) {
      // Read first: once the guard is dead its descendants are no longer found under it.
      found.addAll(p.toHandle().descendants().toList());
      found.add(p.toHandle());
    }
    Map<Long, Group> recorded = Map.copyOf(groups);
    found.addAll(membersOf(recorded));
    List<ProcessHandle> running = found.stream().distinct().filter(h -> !ProcessTree.ended(h))
        .toList();
    running.forEach(ProcessHandle::destroyForcibly);
    long deadline = System.nanoTime() + ProcessTree.KILL_WAIT.toNanos();
    List<ProcessHandle> forked = membersOf(recorded); // forked before the KILL landed
    try (ExitPoll poll = new ExitPoll()) {
      while ((!forked.isEmpty() || running.stream().anyMatch(h -> !ProcessTree.ended(h)))
          && System.nanoTime() - deadline < 0) {
        forked.forEach(ProcessHandle::destroyForcibly);
        poll.pause();
        forked = membersOf(recorded);
      }
    }
    if (forked.isEmpty()) {
      recorded.forEach(this::forget);
    }
    return running.size();
  }

  /**
   * The running processes of the {@code recorded} groups that are still the recorded ones (see
   * {@link ProcessGroup#isStill}), from one read of the process table.
   */
  private static List<ProcessHandle> membersOf(Map<Long, Group> recorded) {
    if (recorded.isEmpty()) {
      return List.of();
    }
    List<ProcStat> all = ProcStat.running();
    Map<Long, ProcStat> byPid = all.stream().collect(Collectors.toMap(ProcStat::pid, s -> s));
    List<ProcessHandle> members = new ArrayList<>();
    for (ProcStat s : all) {
      Group g = recorded.get(s.pgrp());
      ProcStat leader = byPid.get(s.pgrp());
      if (g != null && (leader == null || leader.startTime() == g.startTime())) {
        ProcessHandle.of(s.pid()).ifPresent(members::add);
      }
    }
    return members;
  }

  /**
   * {@link #killAll()} for every data directory of this JVM: for an exit that cannot wait.
   *
   * @return how many processes were found running
   */
  public static int killEverywhere() {
    int n = UNRECORDED.killAll();
    for (Children c : BY_DATA_DIR.values()) {
      n += c.killAll();
    }
    return n;
  }

  /** This JVM's name in the record, {@code <pid>-<start time>}; empty off Linux. */
  static Optional<String> jvmName() {
    long pid = ProcessHandle.current().pid();
    return ProcStat.of(pid).map(s -> pid + "-" + s.startTime());
  }

  private Optional<Path> record(Process p, ProcStat stat) {
    if (records == null) {
      return Optional.empty();
    }
    try {
      if (!Files.isDirectory(records)) {
        Files.createDirectories(records);
        Files.writeString(records.resolve(BOOT_FILE), ProcStat.bootId().orElse(""));
      }
      Path file = records.resolve(p.pid() + "-" + stat.startTime());
      try {
        Files.createFile(file);
      } catch (FileAlreadyExistsException e) {
        // A pid reused within one start-time tick: the same name, still one live program.
      }
      return Optional.of(file);
    } catch (IOException e) {
      if (!recordFailed) {
        recordFailed = true;
        log.warn("cannot record the programs it starts in {} ({}); a program left running by a"
            + " crash of this server will not be ended at the next start", records, e.toString());
      }
      return Optional.empty();
    }
  }

  /** A recorded group: its leader's start time and its file in the record, if written. */
  private record Group(long startTime, Optional<Path> file) {}

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Left for the next start, which checks the start time before it ends anything.
    }
  }
}
