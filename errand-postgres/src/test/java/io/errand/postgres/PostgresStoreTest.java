package io.errand.postgres;

import static io.errand.spi.contract.Answers.changed;
import static io.errand.spi.contract.Answers.claimed;
import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.ErrandException;
import io.errand.api.InvalidTaskException;
import io.errand.api.TaskStatus;
import io.errand.spi.Outcome;
import io.errand.spi.StoreContext;
import io.errand.spi.TaskRecord;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.RecordingSignals;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** What the PostgreSQL store does beyond the shared contract: opening, schemas, limits. */
class PostgresStoreTest {
  private static final String Q = "mail";

  private final TestDatabase db = TestDatabase.get();
  private String schema;

  @BeforeEach
  void pickSchema() {
    schema = db.freshSchema();
  }

  @AfterEach
  void dropSchema() {
    db.drop(schema);
  }

  @Test
  void anUnreachableDatabaseIsAStoreFailureNamingItWithoutThePassword() {
    PostgresStore store = PostgresStore.builder(
        "jdbc:postgresql://127.0.0.1:1/app?user=ann&password=s3cret&connectTimeout=2").build();

    assertThatThrownBy(() -> open(store, new RecordingSignals()))
        .isInstanceOfSatisfying(ErrandException.class,
            e -> assertThat(e.code()).isEqualTo("store_failed"))
        .hasMessageContaining("127.0.0.1:1/app")
        .hasMessageNotContaining("s3cret");
    assertThat(store.toString()).doesNotContain("s3cret");
  }

  @Test
  void aPasswordGivenToTheBuilderNeverAppearsInErrors() {
    PostgresStore store = PostgresStore.builder("jdbc:postgresql://127.0.0.1:1/app?"
        + "connectTimeout=2").user("ann").password("s3cret").build();

    assertThatThrownBy(() -> open(store, new RecordingSignals()))
        .isInstanceOf(ErrandException.class)
        .hasMessageNotContaining("s3cret")
        .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain("s3cret"));
  }

  @Test
  void tasksSurviveAReopenOfTheSchema() {
    PostgresStore first = store();
    open(first, new RecordingSignals());
    long id = first.tasks().insert(task(Q).args("kept").build()).id();
    first.close();

    PostgresStore second = store();
    open(second, new RecordingSignals());
    try {
      assertThat(second.tasks().find(id).orElseThrow().info().args()).isEqualTo("kept");
    } finally {
      second.close();
    }
  }

  @Test
  void aSchemaWrittenByANewerErrandIsRefusedAndLeftAlone() {
    PostgresStore first = store();
    open(first, new RecordingSignals());
    first.close();
    db.exec("UPDATE " + schema + ".errand_schema SET version = 99");

    assertThatThrownBy(() -> open(store(), new RecordingSignals()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(schema)
        .hasMessageContaining("version 99")
        .hasMessageContaining("newer");
    db.exec("DO $$ BEGIN IF (SELECT version FROM " + schema + ".errand_schema) <> 99 THEN "
        + "RAISE 'changed'; END IF; END $$");
  }

  @Test
  void aSchemaOfSomethingElseIsRefused() {
    db.exec("CREATE SCHEMA " + schema);
    db.exec("CREATE TABLE " + schema + ".invoices (id int)");

    assertThatThrownBy(() -> open(store(), new RecordingSignals()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not an Errand store");
  }

  @Test
  void argumentsLargerThanTheLimitAreRefusedAndNothingIsStored() {
    PostgresStore store = PostgresStore.builder(db.url()).schema(schema).maxPayloadBytes(64)
        .build();
    open(store, new RecordingSignals());
    try {
      assertThatThrownBy(() -> store.tasks().insert(task(Q).args("x".repeat(100)).build()))
          .isInstanceOf(InvalidTaskException.class)
          .hasMessageContaining("64 bytes");
      assertThat(store.tasks().waiting(Q)).isZero();
    } finally {
      store.close();
    }
  }

  @Test
  void aResultLargerThanTheLimitFailsTheTask() {
    PostgresStore store = PostgresStore.builder(db.url()).schema(schema).maxPayloadBytes(64)
        .build();
    open(store, new RecordingSignals());
    try {
      long id = store.tasks().insert(task(Q).createdAt(Instant.now()).build()).id();
      store.tasks().claim(Q, "n", Instant.now());

      TaskRecord after = changed(store.tasks().finish(id, 1, new Outcome.Succeeded("y".repeat(100)),
          Instant.now()));

      assertThat(after.info().status()).isEqualTo(TaskStatus.FAILURE);
      assertThat(after.info().message()).contains("more than the store's limit of 64 bytes");
    } finally {
      store.close();
    }
  }

  @Test
  void aTaskWhoseArgumentsCannotBeReadFailsAndTheNextOneIsClaimed() {
    PostgresStore store = store();
    RecordingSignals signals = new RecordingSignals();
    open(store, signals);
    try {
      long bad = store.tasks().insert(task("points").args("not a point").createdAt(Instant.now())
          .build()).id();
      long good = store.tasks().insert(task("points").args(Map.of("x", 1, "y", 2))
          .createdAt(Instant.now()).build()).id();

      assertThat(claimed(store.tasks().claim("points", "n", Instant.now())).id()).isEqualTo(good);

      assertThat(store.tasks().find(bad).orElseThrow().info().status()).isEqualTo(TaskStatus.FAILURE);
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(signals.ended())
          .extracting(TaskRecord::id).containsExactly(bad));
    } finally {
      store.close();
    }
  }

  @Test
  void aGivenDataSourceWorksAndIsLeftOpen() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(db.url());
    PostgresStore store = PostgresStore.builder(ds).schema(schema).build();
    open(store, new RecordingSignals());
    long id = store.tasks().insert(task(Q).createdAt(Instant.now()).build()).id();
    assertThat(claimed(store.tasks().claim(Q, "n", Instant.now())).id()).isEqualTo(id);
    store.close();
  }

  @Test
  void theBuilderRefusesBadSettingsNamingThem() {
    assertThatThrownBy(() -> PostgresStore.builder("jdbc:mysql://x/y"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql:");
    assertThatThrownBy(() -> PostgresStore.builder(db.url()).schema("Bad-Name"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Bad-Name");
    assertThatThrownBy(() -> PostgresStore.builder(db.url()).heartbeat(Duration.ofSeconds(10))
        .lease(Duration.ofSeconds(15)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
    assertThatThrownBy(() -> PostgresStore.builder(new PGSimpleDataSource()).user("u"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("DataSource");
    assertThatThrownBy(() -> PostgresStore.builder(db.url()).poolSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poolSize");
  }

  @Test
  void aStoreOpensOnceAndRefusesCallsOnceClosed() {
    PostgresStore store = store();
    open(store, new RecordingSignals());
    assertThatThrownBy(() -> open(store, new RecordingSignals()))
        .isInstanceOf(IllegalStateException.class);
    store.close();
    store.close(); // harmless

    assertThatThrownBy(() -> store.tasks().waiting(Q)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  private PostgresStore store() {
    return PostgresStore.builder(db.url()).schema(schema).poolSize(2).build();
  }

  private static void open(PostgresStore store, RecordingSignals signals) {
    store.open(new StoreContext(InstantSource.system(), signals,
        new JsonTestCodec(Map.of("points", io.errand.spi.contract.Point.class)), "n"));
  }
}
