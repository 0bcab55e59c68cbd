package io.errand.sqlite;

import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.spi.GroupKind;
import io.errand.spi.NewTask;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.ProgressHandler;

/**
 * What a backlog of tasks that are not due yet costs the statements run on every claim and
 * idle wake-up, counted as SQLite's own virtual-machine steps (its progress handler), not
 * timed: the same statement over 100 and over 20,000 delayed tasks must take about as many
 * steps.
 */
class DelayedBacklogTest {
  private static final String Q = "mail";
  private static final int SMALL = 100;
  private static final int LARGE = 20_000;

  @TempDir
  Path dir;

  private final Stores stores = new Stores();

  @Test
  void aClaimThatFindsNothingDueDoesNotWalkTheDelayedTasks() throws Exception {
    long small = steps(SMALL, ClaimStatements.CLAIM, 0, false);
    long large = steps(LARGE, ClaimStatements.CLAIM, 0, false);

    assertThat(large).as("steps over %d delayed tasks, against %d over %d", LARGE, small, SMALL)
        .isLessThan(2 * small);
  }

  @Test
  void aClaimAmongManyDueTasksDoesNotSortOrWalkThem() throws Exception {
    long small = steps(SMALL, ClaimStatements.CLAIM, 0, true);
    long large = steps(LARGE, ClaimStatements.CLAIM, 0, true);

    assertThat(large).as("steps over %d due tasks, against %d over %d", LARGE, small, SMALL)
        .isLessThan(2 * small);
  }

  @Test
  void markingDueTasksReadyDoesNotWalkTheDelayedTasks() throws Exception {
    long small = steps(SMALL, ClaimStatements.PROMOTE, 1, false);
    long large = steps(LARGE, ClaimStatements.PROMOTE, 1, false);

    assertThat(large).as("steps over %d delayed tasks, against %d over %d", LARGE, small, SMALL)
        .isLessThan(2 * small);
  }

  @Test
  void findingTheNextDueTimeDoesNotWalkTheWaitingTasks() throws Exception {
    long small = steps(SMALL, Reads.NEXT_DUE, 2, true);
    long large = steps(LARGE, Reads.NEXT_DUE, 2, true);

    assertThat(large).as("steps over %d tasks, against %d over %d", LARGE, small, SMALL)
        .isLessThan(2 * small);
  }

  /**
   * The VM steps of {@code sql} on a file holding {@code delayed} tasks due tomorrow, of
   * priorities 0 to 9, plus (if {@code alsoDue}) as many due ones that a claim already marked
   * ready, and one due task whose readiness only a {@link ClaimStatements#PROMOTE} finds. The statement's
   * parameters are bound the store's way: the claim's four, or ({@code kind} 1) PROMOTE's
   * queue and now, or ({@code kind} 2) NEXT_DUE's queue twice.
   */
  private long steps(int delayed, String sql, int kind, boolean alsoDue) throws SQLException {
    Path file = dir.resolve(delayed + "-" + kind + "-" + alsoDue + ".db");
    try (SqliteStore store = stores.open(file)) {
      List<NewTask> tasks = new ArrayList<>();
      for (int i = 0; i < delayed; i++) {
        tasks.add(task(Q).runAt(stores.clock.instant().plus(Duration.ofDays(1)))
            .priority(i % 10).build());
      }
      store.groups().insert(tasks, GroupKind.BATCH);
      if (alsoDue) {
        tasks.clear();
        for (int i = 0; i < delayed; i++) {
          tasks.add(task(Q).priority(i % 10).build());
        }
        store.groups().insert(tasks, GroupKind.BATCH);
      }
      store.tasks().insert(task(Q).createdAt(stores.clock.instant().minusSeconds(5))
          .runAt(stores.clock.instant().minusSeconds(1)).priority(-1).build());
    }
    long now = Row.micros(stores.clock.instant());
    AtomicLong steps = new AtomicLong();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
         PreparedStatement ps = c.prepareStatement(sql)) {
      switch (kind) {
        case 0 -> {
          ps.setLong(1, now);
          ps.setString(2, Stores.NODE);
          ps.setString(3, Q);
          ps.setLong(4, now);
        }
        case 1 -> {
          ps.setString(1, Q);
          ps.setLong(2, now);
        }
        default -> {
          ps.setString(1, Q);
          ps.setString(2, Q);
        }
      }
      ProgressHandler.setHandler(c, 1, new ProgressHandler() {
        @Override
        protected int progress() {
          steps.incrementAndGet();
          return 0;
        }
      });
      ps.execute();
    }
    return steps.get();
  }
}
