package io.errand.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.ErrandException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FULL's acknowledgements: after the log's sync, in commit order, or with the sync's error. */
class WalSyncerTest {
  @TempDir
  Path dir;

  @Test
  void acknowledgesInCommitOrderOnceTheLogIsSynced() throws IOException {
    Path db = dir.resolve("a.db");
    Files.writeString(dir.resolve("a.db-wal"), "frames");
    List<String> acks = Collections.synchronizedList(new ArrayList<>());
    try (WalSyncer syncer = new WalSyncer(db)) {
      for (int i = 0; i < 50; i++) {
        int n = i;
        syncer.afterSync(failure -> acks.add(n + ":" + failure));
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
    try (WalSyncer syncer = new WalSyncer(dir.resolve("missing.db"))) {
      syncer.afterSync(failures::add);
      syncer.afterSync(failures::add);
    }

    assertThat(failures).hasSize(2).allSatisfy(
        f -> assertThat(f).isInstanceOf(NoSuchFileException.class));
  }

  @Test
  void aCallerWhoseCommitCouldNotBeSyncedIsToldSoAndNotAcknowledged() throws Exception {
    Statements sql = new Statements(DriverManager.getConnection("jdbc:sqlite::memory:"));
    sql.exec("CREATE TABLE t (v INTEGER)");
    sql.connection.setAutoCommit(false);
    Writer writer = new Writer(sql, "t.db", Map.of(), new WalSyncer(dir.resolve("t.db")));
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
}
