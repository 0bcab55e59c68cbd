package io.errand.server.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the exec handler and git-sync rely on beyond their own tests: a TERM from one thread and
 * the end from another share one memory of the tree, an interrupt does not shorten the grace,
 * and a zombie counts as ended.
 */
class ProcessTreeTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  /** Ignores TERM (as does the sleep, which inherits that), then says it is ready. */
  private static final String STUBBORN = "trap '' TERM; echo ready; sleep 300";

  private final List<ProcessHandle> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    for (ProcessHandle h : started) {
      h.descendants().forEach(ProcessHandle::destroyForcibly);
      h.destroyForcibly();
    }
  }

  @Test
  void endOnOneThreadKillsWhatATermOnAnotherOrphaned() throws Exception {
    // The root dies of TERM; the stubborn child, re-parented, is no longer its descendant.
    Process root = startReady("sh", "-c", "sh -c \"" + STUBBORN + "\" & wait");
    List<ProcessHandle> children = root.descendants().toList();
    assertThat(children).isNotEmpty();
    ProcessTree tree = new ProcessTree(root.toHandle());

    onItsOwnThread(tree::terminate).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(root.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(children).allMatch(ProcessHandle::isAlive);

    Duration grace = Duration.ofSeconds(2);
    long t0 = System.nanoTime();
    FutureTask<Boolean> ended = onItsOwnThread(() -> tree.end(grace));
    // A second cancel while end() is in its grace: it signals and returns, it does not wait.
    Thread.sleep(300);
    long t1 = System.nanoTime();
    onItsOwnThread(tree::terminate).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(1));

    assertThat(ended.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(grace);
    assertThat(children).allMatch(ProcessTree::ended);
    assertThat(tree.pids()).startsWith(root.pid())
        .containsAll(children.stream().map(ProcessHandle::pid).toList());
  }

  @Test
  void anInterruptDoesNotShortenTheGraceAndIsKept() throws Exception {
    Process root = startReady("sh", "-c", STUBBORN);
    ProcessTree tree = new ProcessTree(root.toHandle());
    Duration grace = Duration.ofMillis(500);

    long t0 = System.nanoTime();
    Thread.currentThread().interrupt();
    boolean ended = tree.end(grace);

    assertThat(Thread.interrupted()).as("interrupt status set again").isTrue();
    assertThat(ended).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(grace);
    assertThat(ProcessTree.ended(root.toHandle())).isTrue();
  }

  @Test
  void aZombieCountsAsEnded() throws Exception {
    // The background sleep exits at once; its parent became a sleep that never reaps it.
    Process root = start("sh", "-c", "sleep 0 & exec sleep 300");
    ProcessHandle zombie = await().atMost(PATIENCE).until(() -> root.descendants()
        .filter(ProcessTree::ended).findFirst(), Optional::isPresent).orElseThrow();

    assertThat(zombie.isAlive()).as("not reaped: isAlive alone would wait for it").isTrue();
    long t0 = System.nanoTime();
    assertThat(new ProcessTree(root.toHandle()).end(Duration.ofSeconds(5))).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
  }

  /**
   * Runs {@code task} on a thread of its own, as the canceller and the task thread are: not in
   * a shared pool, which on a small machine would run one only after the other.
   */
  private static <T> FutureTask<T> onItsOwnThread(Callable<T> task) {
    FutureTask<T> f = new FutureTask<>(task);
    Thread.ofPlatform().start(f);
    return f;
  }

  private static FutureTask<Void> onItsOwnThread(Runnable task) {
    return onItsOwnThread(Executors.callable(task, null));
  }

  private Process start(String... argv) throws IOException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    started.add(p.toHandle());
    p.getOutputStream().close();
    return p;
  }

  /** Starts {@code argv} and waits for it to print "ready", i.e. to have set its traps. */
  private Process startReady(String... argv) throws IOException {
    Process p = start(argv);
    BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("ready");
    return p;
  }
}
