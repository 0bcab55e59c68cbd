package io.errand.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.ErrandException;
import java.sql.DriverManager;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writer thread on its own: failures stay with the request that caused them. */
class WriterTest {
  private Statements sql;
  private Writer writer;

  @BeforeEach
  void start() throws Exception {
    sql = new Statements(DriverManager.getConnection("jdbc:sqlite::memory:"));
    sql.exec("CREATE TABLE t (v INTEGER)");
    sql.connection.setAutoCommit(false);
    writer = new Writer(sql, ":memory:", Map.of(), null);
  }

  @AfterEach
  void stop() throws Exception {
    writer.close();
    sql.close();
  }

  private long rows() {
    return writer.call(tx -> {
      try (var rs = tx.sql.get("SELECT count(*) FROM t").executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private Void insert() throws java.sql.SQLException {
    sql.get("INSERT INTO t (v) VALUES (1)").executeUpdate();
    return null;
  }

  @Test
  void aFailingAtomicRequestIsRolledBackAloneAndItsCallerGetsTheException() {
    assertThatThrownBy(() -> writer.callAtomic(tx -> {
      insert();
      throw new IllegalArgumentException("refused");
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("refused");
    writer.call(tx -> insert());

    assertThat(rows()).isEqualTo(1);
  }

  @Test
  void anErrorInARequestReachesItsCallerAndTheWriterGoesOn() {
    assertThatThrownBy(() -> writer.callAtomic(tx -> {
      insert();
      throw new AssertionError("boom");
    })).isInstanceOf(AssertionError.class).hasMessage("boom");

    writer.call(tx -> insert());
    assertThat(rows()).isEqualTo(1);
  }

  @Test
  void aRequestRefusedBeforeItsFirstChangeFailsAloneAndTheWriterGoesOn() {
    writer.call(tx -> insert());
    assertThatThrownBy(() -> writer.call(tx -> {
      throw new IllegalArgumentException("queue full");
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("queue full");
    writer.call(tx -> insert());

    assertThat(rows()).isEqualTo(2);
  }

  @Test
  void aSqlErrorIsReportedAsAStoreFailure() {
    assertThatThrownBy(() -> writer.call(tx -> tx.sql.get("SELECT nope FROM t").executeQuery()))
        .isInstanceOfSatisfying(ErrandException.class,
            e -> assertThat(e.code()).isEqualTo("store_failed"));
    assertThat(rows()).isZero();
  }

  @Test
  void waitingCountsChangeOnlyWithTheCommitOfTheirRequest() {
    writer.call(tx -> {
      tx.addWaiting("q", 2);
      return null;
    });
    assertThatThrownBy(() -> writer.call(tx -> {
      tx.addWaiting("q", 5);
      throw new IllegalStateException("undone");
    })).isInstanceOf(IllegalStateException.class);

    assertThat(writer.committedWaiting("q")).isEqualTo(2);
  }
}
