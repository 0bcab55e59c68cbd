package io.errand.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.ErrandException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FULL's acknowledgements: after the log's sync, in commit order, or with the sync's error.
 * NORMAL's: at once, with one sync of the log at most a lag later.
 */
class WalSyncerTest {
  @TempDir
  Path dir;

  @Test
  void acknowledgesInCommitOrderOnceTheLogIsSynced() throws IOException {
    Path db = dir.resolve("a.db");
    Files.writeString(dir.resolve("a.db-wal"), "frames");
    List<String> acks = Collections.synchronizedList(new ArrayList<>());
    try (WalSyncer syncer = WalSyncer.beforeAcknowledging(db)) {
      for (int i = 0; i < 50; i++) {
        int n = i;
        syncer.committed(failure -> acks.add(n + ":" + failure));
      }
    } // close syncs and acknowledges what was handed over

    assertThat(acks).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(acks.get(i)).isEqualTo(i + ":null");
    }
  }

  @Test
  void aFailedSyncReachesEveryBatchItCovered() {
    List<IOException> failures = Collections.synchronizedList(new ArrayList<>());
    try (WalSyncer syncer = WalSyncer.beforeAcknowledging(dir.resolve("missing.db"))) {
      syncer.committed(failures::add);
      syncer.committed(failures::add);
    }

    assertThat(failures).hasSize(2).allSatisfy(
        f -> assertThat(f).isInstanceOf(NoSuchFileException.class));
  }

  @Test
  void aCallerWhoseCommitCouldNotBeSyncedIsToldSoAndNotAcknowledged() throws Exception {
    Statements sql = new Statements(DriverManager.getConnection("jdbc:sqlite::memory:"));
    sql.exec("CREATE TABLE t (v INTEGER)");
    sql.connection.setAutoCommit(false);
    Writer writer = new Writer(sql, "t.db", Map.of(), WalSyncer.beforeAcknowledging(dir.resolve("t.db")));
    try {
      assertThatThrownBy(() -> writer.call(tx -> tx.sql.get("INSERT INTO t (v) VALUES (1)")
          .executeUpdate()))
          .isInstanceOfSatisfying(ErrandException.class,
              e -> assertThat(e.code()).isEqualTo("store_failed"))
          .hasMessageContaining("could not sync its log to disk")
          .hasMessageContaining("a crash of the machine may lose it");
    } finally {
      writer.close();
      sql.close();
    }
  }

  @Test
  void withinALagACommitIsAcknowledgedAtOnceAndSyncedSoonAfter() throws IOException {
    Path db = dir.resolve("n.db");
    Files.writeString(dir.resolve("n.db-wal"), "frames");
    List<IOException> acks = Collections.synchronizedList(new ArrayList<>());
    try (WalSyncer syncer = WalSyncer.within(db, Duration.ofMillis(20))) {
      syncer.committed(acks::add);
      assertThat(acks).containsExactly((IOException) null); // answered on the writer's thread

      await().atMost(Duration.ofSeconds(10)).until(() -> syncer.syncs() == 1);
      syncer.committed(acks::add); // after a sync, the next commit asks for another
      await().atMost(Duration.ofSeconds(10)).until(() -> syncer.syncs() == 2);
    }
  }

  @Test
  void commitsWithinOneLagShareOneSyncAndClosingSyncsThem() throws IOException {
    Path db = dir.resolve("n.db");
    Files.writeString(dir.resolve("n.db-wal"), "frames");
    WalSyncer syncer = WalSyncer.within(db, Duration.ofHours(1));
    for (int i = 0; i < 100; i++) {
      syncer.committed(failure -> { });
    }
    assertThat(syncer.syncs()).isZero(); // the lag has not passed

    syncer.close();

    assertThat(syncer.syncs()).isEqualTo(1);
  }

  @Test
  void withinALagNothingIsSyncedWhileNothingWasCommitted() throws IOException {
    Files.writeString(dir.resolve("n.db-wal"), "frames");
    WalSyncer syncer = WalSyncer.within(dir.resolve("n.db"), Duration.ofMillis(1));
    syncer.close();

    assertThat(syncer.syncs()).isZero();
  }

  @Test
  void withinALagAFailedSyncCannotReachAcknowledgedCallersAndIsTriedAgain() throws IOException {
    Path db = dir.resolve("late.db");
    List<IOException> acks = Collections.synchronizedList(new ArrayList<>());
    try (WalSyncer syncer = WalSyncer.within(db, Duration.ofMillis(1))) {
      syncer.committed(acks::add); // no log yet: this sync fails, and is logged
      await().atMost(Duration.ofSeconds(10)).until(() -> !syncer.pending());

      Files.writeString(dir.resolve("late.db-wal"), "frames");
      syncer.committed(acks::add);
      await().atMost(Duration.ofSeconds(10)).until(() -> syncer.syncs() >= 1);
    }
    assertThat(acks).containsExactly(null, null);
  }
}
