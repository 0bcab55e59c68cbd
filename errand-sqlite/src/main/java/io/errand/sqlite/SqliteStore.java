package io.errand.sqlite;

import io.errand.api.InvalidTaskException;
import io.errand.jdbc.OpenState;
import io.errand.jdbc.Payloads;
import io.errand.spi.Groups;
import io.errand.spi.QueueControls;
import io.errand.spi.PayloadLimit;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoreContext;
import io.errand.spi.SupervisedKeys;
import io.errand.spi.TaskHistory;
import io.errand.spi.TaskSearch;
import io.errand.spi.TaskStore;
import io.errand.spi.Tasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable embedded store: every task in one SQLite file, owned by one process.
 *
 * <pre>{@code
 * Errand errand = Errand.builder()
 *     .store(SqliteStore.at(Path.of("data/errand.db")))
 *     .queue(...)
 *     .build();
 * }</pre>
 *
 * <p><b>One owner.</b> While a store is open, {@code <file>.lock} is locked by this process
 * (the OS releases it when the process dies). Opening the same file from a second process, or
 * a second store in this one, fails with an error naming the file and the owner's pid.
 *
 * <p><b>Durability.</b> All writes go through one writer thread that groups them: it takes
 * every change queued so far, runs them in one transaction, commits once, then answers each
 * caller. A submit returns only after the commit that holds it; under load many submits share
 * one commit. Two settings ({@link Synchronous}) say when a commit reaches the disk:
 * <ul>
 *   <li>{@link Synchronous#NORMAL} (the default): callers are answered at the commit, and a
 *       second thread syncs the write-ahead log at most {@link #NORMAL_SYNC_LAG} later. An
 *       accepted task survives a crash of the process (kill -9, out of memory, a JVM crash):
 *       its commit is in the OS's cache and the OS writes it whatever happens to the process.
 *       A crash of the OS or a power cut may lose what was accepted in the last
 *       {@code NORMAL_SYNC_LAG}; the file stays consistent. SQLite's documentation calls it a
 *       good choice for most applications in WAL mode; it is PostgreSQL's
 *       {@code synchronous_commit = off} trade-off.
 *   <li>{@link Synchronous#FULL}: a commit is also on disk before it is acknowledged, so an
 *       accepted task survives a power cut too. The writer does not wait for the disk: the
 *       second thread syncs the log for every batch committed since its last sync and only
 *       then answers their callers, while the writer runs the next batch. Each caller waits
 *       for a sync (0.1–0.3 ms on the disk of docs/benchmarks.md): a few threads submitting one task at a time get
 *       about half NORMAL's throughput (docs/benchmarks.md, section 8).
 * </ul>
 *
 * <p><b>Restart.</b> Tasks still RUNNING in the file when it is opened belonged to a process
 * that died: they become WAITING again, due at once, with the attempt they were running
 * counted (at-least-once). A graceful shutdown instead requeues them without charging it.
 *
 * <p><b>Payloads.</b> Arguments and results are kept as JSON (through the engine's codec).
 * Arguments (and a supervised key's) larger than {@link Builder#maxPayloadBytes} are refused
 * with an {@link InvalidTaskException} naming their size and the limit, and nothing is stored.
 * A result that large cannot be refused to anyone (the work is done), and throwing at the
 * engine would leave the task RUNNING: the task ends FAILURE instead, its error (type
 * {@code io.errand.api.InvalidTaskException}) naming the size and the limit.
 *
 * <p><b>Files.</b> The schema is versioned and migrated when the store opens. A file written
 * by a newer Errand, a file that is not a SQLite database, or a SQLite database that is not an
 * Errand store is refused with a message saying so, and left untouched; it is never reset.
 */
public final class SqliteStore implements TaskStore {
  /** Default of {@link Builder#maxPayloadBytes}: 1 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

  /**
   * How long, at most, a commit acknowledged with {@link Synchronous#NORMAL} waits before the
   * log holding it is synced to disk: 100 ms.
   */
  public static final Duration NORMAL_SYNC_LAG = Duration.ofMillis(100);

  /** When a commit reaches the disk (the journal is always WAL). See the class docs. */
  public enum Synchronous {
    /**
     * Each commit's log is synced before it is acknowledged: nothing acknowledged is lost,
     * even by a power cut.
     */
    FULL,
    /**
     * Commits are acknowledged before the log is synced, which follows within
     * {@link #NORMAL_SYNC_LAG}: a process crash loses nothing; a power cut may lose what was
     * acknowledged in that last moment. The default.
     */
    NORMAL
  }

  private final Path file;
  private final Synchronous synchronous;
  private final int maxPayloadBytes;
  private final OpenState<Opened> state;
  private final SqliteTasks tasks;
  private final SqliteGroups groups;
  private final SqliteKeys keys;
  private final SqliteSchedules schedules;
  private final SqliteSearch search;
  private final SqliteHistory history;
  private final SqliteControls controls;

  private SqliteStore(Builder b) {
    this.file = b.file;
    this.synchronous = b.synchronous;
    this.maxPayloadBytes = b.maxPayloadBytes;
    this.state = new OpenState<>("the SQLite store " + file,
        "make a new SqliteStore to open the file again");
    this.tasks = new SqliteTasks(state::get);
    this.groups = new SqliteGroups(state::get);
    this.keys = new SqliteKeys(state::get);
    this.schedules = new SqliteSchedules(state::get);
    this.search = new SqliteSearch(state::get);
    this.history = new SqliteHistory(state::get);
    this.controls = new SqliteControls(state::get);
  }

  /** A store on {@code file} with the defaults; the engine opens it. */
  public static SqliteStore at(Path file) {
    return builder(file).build();
  }

  /** A builder of a store on {@code file} (created with its directories if missing). */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /** Options of a {@link SqliteStore}. */
  public static final class Builder {
    private final Path file;
    private Synchronous synchronous = Synchronous.NORMAL;
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "file");
    }

    /** When commits reach the disk; default {@link Synchronous#NORMAL}. See the class docs. */
    public Builder synchronous(Synchronous synchronous) {
      this.synchronous = Objects.requireNonNull(synchronous, "synchronous");
      return this;
    }

    /**
     * The largest JSON form, in UTF-8 bytes, of a task's arguments, result, a chain step's
     * previous result or a supervised key's arguments; default 1 MiB.
     */
    public Builder maxPayloadBytes(int maxPayloadBytes) {
      if (maxPayloadBytes < 1) {
        throw new IllegalArgumentException("maxPayloadBytes must be >= 1, was " + maxPayloadBytes);
      }
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    /** The store, not yet opened (the engine opens it). */
    public SqliteStore build() {
      return new SqliteStore(this);
    }
  }

  @Override
  public void open(StoreContext context) {
    Opened o = state.open(() -> {
      Database d = Database.open(file, Row.micros(context.clock().instant()));
      Writer writer = new Writer(d.writer, d.file.toString(), d.waiting,
          synchronous == Synchronous.FULL ? WalSyncer.beforeAcknowledging(d.file)
              : WalSyncer.within(d.file, NORMAL_SYNC_LAG));
      return new Opened(d, writer, new Reads(d.reader, d.file.toString()),
          new Writes(context.signals(), context.clock(), d.paused),
          new Payloads(new PayloadLimit(context.codec(), maxPayloadBytes,
              "SqliteStore maxPayloadBytes")),
          context.signals());
    });
    for (long id : o.db.cancelledAtRecovery) { // ended while no engine ran: announce them now
      tasks.find(id).ifPresent(o.signals::ended);
    }
  }

  /** True: every acknowledged change is in the file. */
  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public Tasks tasks() {
    return tasks;
  }

  @Override
  public Groups groups() {
    return groups;
  }

  @Override
  public SupervisedKeys keys() {
    return keys;
  }

  /** Pauses kept in the file: a paused queue stays paused when the store opens again. */
  @Override
  public QueueControls controls() {
    return controls;
  }

  /**
   * The schedules kept in the file beside the tasks; an occurrence's task is inserted in the
   * same transaction that moves the schedule on (see docs/schedules.md).
   */
  @Override
  public Optional<ScheduleStore> schedules() {
    return Optional.of(schedules);
  }

  @Override
  public Optional<TaskSearch> search() {
    return Optional.of(search);
  }

  @Override
  public Optional<TaskHistory> history() {
    return Optional.of(history);
  }

  /** Waits for the writes queued so far, then releases the file and its lock. */
  @Override
  public void close() {
    state.close(o -> {
      o.writer.close();
      o.reads.close();
      o.db.close();
    });
  }

  /** How many transactions the writer committed (tests check that commits are grouped). */
  long commits() {
    return state.get().writer.commits();
  }

  @Override
  public String toString() {
    return "SqliteStore[" + file + "]";
  }
}
