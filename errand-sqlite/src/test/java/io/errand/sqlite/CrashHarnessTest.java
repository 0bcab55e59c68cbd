package io.errand.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's invariants under real SIGKILLs (see {@link CrashHarness}). Sizes from system
 * properties, small by default: {@code crash.kills} (4), {@code crash.tasks} (300),
 * {@code crash.workers} (4), {@code crash.seed} (random, printed), {@code crash.pauseMicros}
 * (1000, between two submits), {@code crash.fromStart} (false: kill 100-600 ms after
 * {@code ready}; true: 0-1500 ms after the child started, also while it opens the file),
 * {@code crash.synchronous} (the settings to run, comma-separated: {@code NORMAL,FULL} by
 * default, one run each).
 */
class CrashHarnessTest {
  @TempDir
  Path dir;

  static Stream<SqliteStore.Synchronous> settings() {
    return Arrays.stream(System.getProperty("crash.synchronous", "NORMAL,FULL").split(","))
        .map(String::trim).map(SqliteStore.Synchronous::valueOf);
  }

  @ParameterizedTest
  @MethodSource("settings")
  void sigkillAtRandomMomentsLosesNoAcknowledgedTaskAndRerunsOnlyWhatWasRunning(
      SqliteStore.Synchronous synchronous) throws Exception {
    int kills = Integer.getInteger("crash.kills", 4);
    int tasks = Integer.getInteger("crash.tasks", 300);
    int workers = Integer.getInteger("crash.workers", 4);
    long seed = Long.getLong("crash.seed", System.nanoTime());
    long pause = Long.getLong("crash.pauseMicros", 1000);

    boolean fromStart = Boolean.getBoolean("crash.fromStart");
    CrashHarness.Result r = new CrashHarness(dir, kills, tasks, workers, seed, pause)
        .killingFromStart(fromStart).synchronous(synchronous).run();
    System.out.println(r.summary());

    assertThat(r.lost()).isZero();
    assertThat(r.kills()).isEqualTo(kills);
    assertThat(r.acked()).isGreaterThanOrEqualTo(tasks);
    assertThat(r.tasks()).isGreaterThanOrEqualTo(r.acked());
    assertThat(r.extraAttempts()).isLessThanOrEqualTo((long) kills * workers);
  }
}
