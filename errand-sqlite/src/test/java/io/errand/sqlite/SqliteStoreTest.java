package io.errand.sqlite;

import static io.errand.spi.contract.Answers.changed;
import static io.errand.spi.contract.Answers.claimed;
import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.spi.Inserted;
import io.errand.api.InvalidTaskException;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.api.ManualClock;
import io.errand.spi.Outcome;
import io.errand.spi.StoreContext;
import io.errand.spi.StoreSignals;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.NewTasks;
import io.errand.spi.StoredKey;
import io.errand.spi.TaskRecord;
import io.errand.spi.contract.Point;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite store adds to the contract: the file, its owner, its limits, its commits. */
class SqliteStoreTest {
  private static final String Q = "mail";

  @TempDir
  Path dir;

  private final Stores stores = new Stores();

  private Path file() {
    return dir.resolve("errand.db");
  }

  @Test
  void dataSurvivesCloseAndReopen() {
    long done;
    long waiting;
    TaskRecord doneBefore;
    TaskRecord waitingBefore;
    try (SqliteStore store = stores.open(file())) {
      done = store.tasks().insert(task(Stores.POINTS).args(new Point(1, 2)).build()).id();
      waiting = store.tasks().insert(task(Stores.POINTS).args(new Point(5, 6)).priority(-1).build()).id();
      TaskRecord running = claimed(store.tasks().claim(Stores.POINTS, Stores.NODE, stores.clock.instant()));
      assertThat(running.id()).isEqualTo(done);
      store.tasks().progress(done, 1, 2, 2, "all done");
      store.tasks().finish(done, 1, new Outcome.Succeeded(new Point(3, 4)), stores.clock.instant());
      store.keys().save(new StoredKey("sup", "k", Map.of("a", 1), true));
      doneBefore = store.tasks().find(done).orElseThrow();
      waitingBefore = store.tasks().find(waiting).orElseThrow();
    }

    try (SqliteStore again = stores.open(file())) {
      TaskRecord doneAfter = again.tasks().find(done).orElseThrow();
      assertThat(doneAfter).isEqualTo(doneBefore);
      assertThat(doneAfter.info().args()).isEqualTo(new Point(1, 2));
      assertThat(doneAfter.info().result(Point.class)).isEqualTo(new Point(3, 4));
      assertThat(doneAfter.info().message()).isEqualTo("all done");
      assertThat(again.tasks().find(waiting)).contains(waitingBefore);
      assertThat(again.tasks().waiting(Stores.POINTS)).isEqualTo(1);
      assertThat(again.keys().of("sup"))
          .containsExactly(new StoredKey("sup", "k", Map.of("a", 1), true));
      assertThat(claimed(again.tasks().claim(Stores.POINTS, Stores.NODE, stores.clock.instant())).id())
          .isEqualTo(waiting);
      long next = again.tasks().insert(task(Q).build()).id();
      assertThat(next).isGreaterThan(waiting);
    }
  }

  @Test
  void runningTasksFoundAtOpenAreDueAgainWithTheirAttemptCounted() {
    long crashed;
    long cancelAsked;
    try (SqliteStore store = stores.open(file())) {
      crashed = store.tasks().insert(task(Q).priority(1).build()).id();
      cancelAsked = store.tasks().insert(task(Q).build()).id();
      assertThat(claimed(store.tasks().claim(Q, Stores.NODE, stores.clock.instant())).id()).isEqualTo(crashed);
      assertThat(claimed(store.tasks().claim(Q, Stores.NODE, stores.clock.instant())).id()).isEqualTo(cancelAsked);
      store.tasks().requestCancel(cancelAsked, "user asked", stores.clock.instant());
      // closed with both still RUNNING: what the file holds after the owner died
    }
    stores.clock.advance(Duration.ofMinutes(5));

    try (SqliteStore again = stores.open(file())) {
      TaskInfo info = again.tasks().find(crashed).orElseThrow().info();
      assertThat(info.status()).isEqualTo(TaskStatus.WAITING);
      assertThat(info.attempt()).isEqualTo(1);
      assertThat(info.runAt()).isEqualTo(stores.clock.instant());
      assertThat(again.tasks().find(crashed).orElseThrow().node()).isNull();
      assertThat(again.tasks().waiting(Q)).isEqualTo(1);
      TaskInfo cancelled = again.tasks().find(cancelAsked).orElseThrow().info();
      assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(cancelled.cancelReason()).isEqualTo("user asked");
      assertThat(cancelled.finishedAt()).isEqualTo(stores.clock.instant());

      TaskRecord rerun = claimed(again.tasks().claim(Q, Stores.NODE, stores.clock.instant()));
      assertThat(rerun.id()).isEqualTo(crashed);
      assertThat(rerun.info().attempt()).isEqualTo(2);
    }
  }

  @Test
  void aSecondStoreOnTheSameFileIsRefusedNamingTheFileAndTheOwner() {
    try (SqliteStore owner = stores.open(file())) {
      SqliteStore second = SqliteStore.at(file());

      assertThatThrownBy(() -> stores.open(second))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(file().toAbsolutePath().toString())
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
      assertThat(owner.tasks().insert(task(Q).build())).as("the owner goes on").isInstanceOf(Inserted.Created.class);
    }
    try (SqliteStore later = stores.open(file())) {
      assertThat(later.tasks().waiting(Q)).as("free again once the owner closed").isEqualTo(1);
    }
  }

  @Test
  void aFileWithANewerSchemaIsRefusedAndLeftAlone() throws Exception {
    try (SqliteStore store = stores.open(file())) {
      store.tasks().insert(task(Q).build());
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement s = c.createStatement()) {
      s.executeUpdate("PRAGMA user_version = " + (Schema.CURRENT + 1));
    }
    byte[] before = Files.readAllBytes(file());

    assertThatThrownBy(() -> stores.open(file()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file().toAbsolutePath().toString())
        .hasMessageContaining("schema version " + (Schema.CURRENT + 1))
        .hasMessageContaining("newer");
    assertThat(Files.readAllBytes(file())).isEqualTo(before);
  }

  @Test
  void aFileThatIsNotSqliteIsRefusedAndLeftUntouched() throws Exception {
    byte[] garbage = "these are my notes, not a database\n".repeat(200)
        .getBytes(StandardCharsets.UTF_8);
    Files.write(file(), garbage);

    assertThatThrownBy(() -> stores.open(file()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file().toAbsolutePath().toString())
        .hasMessageContaining("not a SQLite database");
    assertThat(Files.readAllBytes(file())).isEqualTo(garbage);
  }

  @Test
  void aDamagedSqliteFileIsRefusedAndLeftUntouched() throws Exception {
    byte[] damaged = new byte[8192];
    new Random(42).nextBytes(damaged);
    byte[] header = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(header, 0, damaged, 0, header.length);
    Files.write(file(), damaged);

    assertThatThrownBy(() -> stores.open(file()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file().toAbsolutePath().toString())
        .hasMessageContaining("left untouched");
    assertThat(Files.readAllBytes(file())).isEqualTo(damaged);
    try (SqliteStore other = stores.open(dir.resolve("other.db"))) {
      assertThat(other.tasks().waiting(Q)).as("the lock of the refused file was released").isZero();
    }
    assertThat(Files.exists(dir.resolve("errand.db-wal"))).isFalse();
  }

  @Test
  void anotherApplicationsDatabaseIsRefused() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
    }

    assertThatThrownBy(() -> stores.open(file()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not an Errand store");
  }

  @Test
  void anOversizePayloadIsRefusedNamingItsSizeAndTheLimit() {
    try (SqliteStore store = stores.open(SqliteStore.builder(file()).maxPayloadBytes(100)
        .build())) {
      String big = "x".repeat(150); // 152 bytes as JSON, with its quotes

      assertThatThrownBy(() -> store.tasks().insert(task(Q).args(big).build()))
          .isInstanceOf(InvalidTaskException.class)
          .hasMessageContaining("152 bytes")
          .hasMessageContaining("limit of 100 bytes");
      assertThat(store.tasks().waiting(Q)).isZero();
      assertThat(store.tasks().list(TaskQuery.newest(10)).items()).isEmpty();

      long id = store.tasks().insert(task(Q).args("small").build()).id();
      store.tasks().claim(Q, Stores.NODE, stores.clock.instant());
      // a result that large cannot be refused (the work is done): the task fails, saying why
      TaskRecord after = changed(store.tasks().finish(id, 1, new Outcome.Succeeded(big), stores.clock.instant()));
      for (TaskRecord rec : List.of(after, store.tasks().find(id).orElseThrow())) {
        assertThat(rec.info().status()).isEqualTo(TaskStatus.FAILURE);
        assertThat(rec.info().message()).contains("result of task " + id, "152 bytes",
            "limit of 100 bytes");
        assertThat(rec.info().errors()).singleElement().satisfies(e -> {
          assertThat(e.type()).isEqualTo(InvalidTaskException.class.getName());
          assertThat(e.attempt()).isEqualTo(1);
        });
        assertThat(rec.info().response()).isEqualTo(rec.info().errors().get(0));
      }
    }
  }

  @Test
  void concurrentInsertsShareCommitsAndAllAcknowledgedOnesSurvive() throws Exception {
    int threads = 16;
    int each = 40;
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    long commitsBefore;
    long commitsAfter;
    try (SqliteStore store = stores.open(file())) {
      commitsBefore = store.commits();
      CountDownLatch start = new CountDownLatch(1);
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      List<Thread> all = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = i;
        all.add(Thread.ofPlatform().name("inserter-" + i).start(() -> {
          try {
            start.await();
            for (int j = 0; j < each; j++) {
              acknowledged.add(store.tasks().insert(task(Q).args(n * each + j).build()).id());
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }));
      }
      start.countDown();
      for (Thread t : all) {
        assertThat(t.join(Duration.ofSeconds(60))).isTrue();
      }
      assertThat(failures).isEmpty();
      commitsAfter = store.commits();
    }

    assertThat(acknowledged).hasSize(threads * each);
    assertThat(commitsAfter - commitsBefore).as("commits for %d inserts", threads * each)
        .isLessThan(threads * each);
    try (SqliteStore again = stores.open(file())) {
      assertThat(again.tasks().waiting(Q)).isEqualTo(threads * each);
      for (long id : acknowledged) {
        assertThat(again.tasks().find(id)).as("task %d", id).isPresent();
      }
    }
  }

  @Test
  void aClosedStoreRefusesWorkClearly() {
    SqliteStore store = stores.open(file());
    store.close();
    store.close(); // harmless twice

    assertThatThrownBy(() -> store.tasks().insert(task(Q).build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  /**
   * Signals reach engine code (a cancel runs the task's onCancel callbacks, user code). One that
   * writes to the store from inside the signal must not deadlock the writer.
   */
  @Test
  void aSignalThatWritesToTheStoreDoesNotDeadlockIt() {
    List<Long> insertedFromSignal = new CopyOnWriteArrayList<>();
    SqliteStore store = SqliteStore.at(file());
    store.open(new StoreContext(new ManualClock(NewTasks.T0), new StoreSignals() {
      @Override
      public void added(long id, String queue, String key, java.time.Instant createdAt) {}

      @Override
      public void workAvailable(String queue) {}

      @Override
      public void ended(io.errand.spi.TaskRecord record) {}

      @Override
      public void cancelRequested(long id) {
        insertedFromSignal.add(store.tasks().insert(task("cleanup").args(id).build()).id());
      }
    }, new JsonTestCodec(Map.of()), Stores.NODE));
    try (store) {
      long id = store.tasks().insert(task(Q).build()).id();
      store.tasks().claim(Q, Stores.NODE, NewTasks.T0);

      store.tasks().requestCancel(id, "stop", NewTasks.T0);

      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> insertedFromSignal.size() == 1);
      assertThat(store.tasks().waiting("cleanup")).isEqualTo(1);
    }
  }

  @Test
  void aClaimedTaskWhoseArgumentsCannotBeReadFailsAndTheNextOneIsClaimed() {
    try (SqliteStore store = stores.open(file())) {
      long bad = store.tasks().insert(task(Stores.POINTS).args("not a point").priority(9).build()).id();
      long good = store.tasks().insert(task(Stores.POINTS).args(new Point(1, 1)).build()).id();

      TaskRecord claimed = claimed(store.tasks().claim(Stores.POINTS, Stores.NODE, stores.clock.instant()));

      assertThat(claimed.id()).isEqualTo(good);
      assertThat(claimed.info().args()).isEqualTo(new Point(1, 1));
      assertThat(store.tasks().waiting(Stores.POINTS)).isZero();
      TaskInfo failed = store.tasks().list(TaskQuery.newest(10).withStatus(TaskStatus.FAILURE)).items()
          .get(0).info();
      assertThat(failed.id()).isEqualTo(bad);
      assertThat(failed.attempt()).isEqualTo(1);
      assertThat(failed.message()).contains("task " + bad, "cannot be read");
      assertThat(failed.errors()).hasSize(1);
      assertThat(failed.args()).as("shown as plain JSON").isEqualTo("not a point");
    }
  }
}
