package io.errand.sqlite;

import static io.errand.spi.contract.Answers.changed;
import static io.errand.spi.contract.Answers.claimed;
import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.spi.EndAndNext;
import io.errand.spi.Outcome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What keeps a task's three writes cheap: the claim's plan, and one commit per hand-over. */
class HotPathTest {
  private static final String Q = "mail";

  @TempDir
  Path dir;

  private final Stores stores = new Stores();

  @Test
  void aClaimWalksTheClaimIndexInOrderAndSortsNothing() throws Exception {
    Path file = dir.resolve("plan.db");
    try (SqliteStore store = stores.open(file)) {
      for (int i = 0; i < 50; i++) { // a backlog, spread over run_at and priority
        store.tasks().insert(task(Q).runAt(stores.clock.instant().minusSeconds(i)).priority(i % 3)
            .build());
      }
    }
    List<String> plan = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
         PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + ClaimStatements.CLAIM)) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.add(rs.getString("detail"));
        }
      }
    }

    assertThat(plan).anySatisfy(step -> assertThat(step).contains("INDEX tasks_claim"));
    assertThat(plan).noneSatisfy(step -> assertThat(step).contains("TEMP B-TREE"));
  }

  @Test
  void endingATaskAndClaimingTheNextIsOneCommit() {
    try (SqliteStore store = stores.open(dir.resolve("one.db"))) {
      long first = store.tasks().insert(task(Q).build()).id();
      long second = store.tasks().insert(task(Q).build()).id();
      store.tasks().claim(Q, Stores.NODE, stores.clock.instant());
      long before = store.commits();

      EndAndNext both = store.tasks().finishAndClaim(first, 1, new Outcome.Succeeded("ok"),
          stores.clock.instant(), Q, Stores.NODE);

      assertThat(store.commits() - before).isEqualTo(1);
      assertThat(changed(both.ended()).id()).isEqualTo(first);
      assertThat(claimed(both.next()).id()).isEqualTo(second);
    }
  }
}
