package io.errand.sqlite;

import io.errand.api.BatchStatus;
import io.errand.api.InvalidTaskException;
import io.errand.api.Page;
import io.errand.api.TaskError;
import io.errand.api.TaskQuery;
import io.errand.spi.CancelAnswer;
import io.errand.spi.EndAndNext;
import io.errand.spi.GroupInserted;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.Outcome;
import io.errand.spi.PayloadLimit;
import io.errand.spi.StoreContext;
import io.errand.spi.StoreSignals;
import io.errand.spi.StoredErrors;
import io.errand.spi.StoredKey;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

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
  private final Object lifecycle = new Object();
  private volatile Database db;
  private volatile Writer writer;
  private volatile Reads reads;
  private volatile Writes writes;
  private volatile PayloadLimit payloads;
  private volatile AttemptEnds ends;
  private volatile StoreSignals signals;
  private boolean closed;

  private SqliteStore(Builder b) {
    this.file = b.file;
    this.synchronous = b.synchronous;
    this.maxPayloadBytes = b.maxPayloadBytes;
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
    synchronized (lifecycle) {
      if (db != null || closed) {
        throw new IllegalStateException("the SQLite store " + file + " was opened already; "
            + "make a new SqliteStore to open the file again");
      }
      Database d = Database.open(file, Row.micros(context.clock().instant()));
      payloads = new PayloadLimit(context.codec(), maxPayloadBytes,
          "SqliteStore maxPayloadBytes");
      writes = new Writes(context.signals(), context.clock());
      ends = new AttemptEnds(writes, payloads);
      reads = new Reads(d.reader, d.file.toString());
      writer = new Writer(d.writer, d.file.toString(), d.waiting,
          synchronous == Synchronous.FULL ? WalSyncer.beforeAcknowledging(d.file)
              : WalSyncer.within(d.file, NORMAL_SYNC_LAG));
      signals = context.signals();
      db = d;
    }
    for (long id : db.cancelledAtRecovery) { // ended while no engine ran: announce them now
      find(id).ifPresent(signals::ended);
    }
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public Inserted insert(NewTask task) {
    String args = payload(task.args(), "the arguments of a task of queue '" + task.queue() + "'");
    return write().call(tx -> writes.insert(tx, task, args));
  }

  @Override
  public GroupInserted insertGroup(List<NewTask> tasks, boolean chained) {
    List<String> args = new ArrayList<>(tasks.size());
    for (NewTask t : tasks) {
      if (t.key() != null) {
        throw new InvalidTaskException("tasks of a batch or chain cannot have a key, "
            + "but one has key '" + t.key() + "'");
      }
      args.add(payload(t.args(), "the arguments of a task of queue '" + t.queue() + "'"));
    }
    long[] ids = write().callAtomic(tx -> writes.insertGroup(tx, tasks, args, chained));
    return new GroupInserted(ids[0], Writes.tail(ids));
  }

  @Override
  public Optional<TaskRecord> find(long id) {
    Row row = reads().find(id);
    return row == null ? Optional.empty() : Optional.of(row.toRecord(payloads().codec()));
  }

  @Override
  public Page<TaskRecord> list(TaskQuery query) {
    List<Row> rows = reads().list(query);
    boolean more = rows.size() > query.limit();
    List<TaskRecord> items = new ArrayList<>(Math.min(rows.size(), query.limit()));
    for (int i = 0; i < rows.size() && i < query.limit(); i++) {
      items.add(rows.get(i).toRecord(payloads().codec()));
    }
    return new Page<>(items, more ? items.get(items.size() - 1).id() : 0);
  }

  @Override
  public TaskRecord claim(String queue, String node, Instant now) {
    Writer w = write();
    if (w.committedWaiting(queue) <= 0) {
      return null; // nothing waits: no need to queue behind the writer
    }
    long at = Row.micros(now);
    return runnable(w.call(tx -> writes.claim(tx, queue, node, at)), queue, node, now);
  }

  /** The record of claimed {@code row}, or, if it cannot run, of the next one claimed. */
  private TaskRecord runnable(Row row, String queue, String node, Instant now) {
    long at = Row.micros(now);
    while (row != null) {
      try {
        return row.toRunnableRecord(payloads().codec());
      } catch (RuntimeException unreadable) {
        failUnreadable(row, unreadable, now); // and take the next one
      }
      row = write().call(tx -> writes.claim(tx, queue, node, at));
    }
    return null;
  }

  /**
   * A claimed task whose stored arguments cannot be read (its queue's argument type changed
   * since it was submitted, say) can never run: handing it to the engine would fail its worker
   * and leave it RUNNING. It fails for good instead, its error saying why.
   */
  private void failUnreadable(Row row, RuntimeException cause, Instant now) {
    String message = "the stored arguments of task " + row.id() + " cannot be read, so it "
        + "cannot run: " + cause.getMessage();
    TaskError error = new TaskError(row.attempt(), cause.getClass().getName(), message, now);
    long at = Row.micros(now);
    Row failed = write().call(tx -> writes.fail(tx, row.id(), row.attempt(),
        StoredErrors.encode(error), message, at));
    log.warn("{}", message, cause);
    if (failed != null) {
      signals.ended(failed.toRecord(payloads().codec())); // its awaiters and events, as any end
    }
  }

  @Override
  public Optional<Instant> nextDue(String queue) {
    Long due = reads().nextDue(queue);
    return due == null ? Optional.empty() : Optional.of(Row.instant(due));
  }

  @Override
  public boolean progress(long id, int attempt, long current, long total, String message) {
    return write().call(tx -> writes.progress(tx, id, attempt, current, total, message));
  }

  @Override
  public TaskRecord finish(long id, int attempt, Outcome outcome, Instant at) {
    return record(write().call(ends.of(id, attempt, outcome, at)));
  }

  /** Ends the attempt and claims the next task in one request: one commit for both. */
  @Override
  public EndAndNext finishAndClaim(long id, int attempt, Outcome outcome, Instant at,
      String queue, String node) {
    Writer w = write(); // refuses first if the store is not open
    Writer.Op<Row> end = ends.of(id, attempt, outcome, at);
    long now = Row.micros(at);
    EndedAndClaimed rows = w.call(tx -> new EndedAndClaimed(end.run(tx),
        writes.claim(tx, queue, node, now)));
    return new EndAndNext(record(rows.ended()), runnable(rows.claimed(), queue, node, at));
  }

  /** What {@link #finishAndClaim}'s one request answers, as stored. */
  private record EndedAndClaimed(Row ended, Row claimed) {}

  @Override
  public TaskRecord reschedule(long id, int attempt, TaskError error, Instant runAt) {
    String encoded = error == null ? null : StoredErrors.encode(error);
    String message = error == null ? null : error.message();
    long at = Row.micros(runAt);
    return record(write().call(tx -> writes.reschedule(tx, id, attempt, encoded, message, at)));
  }

  @Override
  public CancelAnswer requestCancel(long id, String reason, Instant at) {
    long when = Row.micros(at);
    Writes.CancelOutcome out = write().call(tx -> writes.requestCancel(tx, id, reason, when));
    return out == null ? CancelAnswer.NOT_FOUND
        : new CancelAnswer(true, out.before(), out.row().toRecord(payloads().codec()));
  }

  @Override
  public void release(long id, Object previousResult, Instant now) {
    String previous = payload(previousResult, "the previous result handed to task " + id);
    long at = Row.micros(now);
    write().call(tx -> {
      writes.release(tx, id, previous, at);
      return null;
    });
  }

  @Override
  public Optional<BatchStatus> group(long group) {
    return group <= 0 ? Optional.empty() : Optional.ofNullable(reads().group(group));
  }

  @Override
  public List<Long> liveInGroup(long group) {
    return group <= 0 ? List.of() : reads().liveInGroup(group);
  }

  @Override
  public long waiting(String queue) {
    return write().committedWaiting(queue);
  }

  @Override
  public int purge(String queue, Instant before, int limit) {
    long cutoff = Row.micros(before);
    return write().call(tx -> writes.purge(tx, queue, cutoff, limit));
  }

  @Override
  public boolean delete(long id) {
    return write().call(tx -> writes.delete(tx, id));
  }

  @Override
  public void saveKey(StoredKey key) {
    String args = payload(key.args(), "the arguments of key '" + key.key() + "' of supervisor '"
        + key.supervisor() + "'");
    write().call(tx -> {
      writes.saveKey(tx, key.supervisor(), key.key(), args, key.paused());
      return null;
    });
  }

  @Override
  public void removeKey(String supervisor, String key) {
    write().call(tx -> {
      writes.removeKey(tx, supervisor, key);
      return null;
    });
  }

  @Override
  public List<StoredKey> keys(String supervisor) {
    List<StoredKey> keys = new ArrayList<>();
    for (Reads.KeyRow k : reads().keys(supervisor)) {
      Object args = payloads().codec().decodeArgs(supervisor, k.args());
      keys.add(new StoredKey(supervisor, k.key(), args, k.paused()));
    }
    return keys;
  }

  /** Waits for the writes queued so far, then releases the file and its lock. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      if (db == null) {
        return;
      }
      writer.close();
      reads.close();
      db.close();
    }
  }

  /** How many transactions the writer committed (tests check that commits are grouped). */
  long commits() {
    return write().commits();
  }

  @Override
  public String toString() {
    return "SqliteStore[" + file + "]";
  }

  private Writer write() {
    Writer w = writer;
    if (w == null) {
      throw new IllegalStateException("the SQLite store " + file + " is not open yet");
    }
    return w;
  }

  private TaskRecord record(Row row) {
    return row == null ? null : row.toRecord(payloads().codec());
  }

  private String payload(Object value, String what) {
    return payloads().encode(value, what);
  }

  private PayloadLimit payloads() {
    PayloadLimit p = payloads;
    if (p == null) {
      throw new IllegalStateException("the SQLite store " + file + " is not open yet");
    }
    return p;
  }

  private Reads reads() {
    Reads r = reads;
    if (r == null) {
      throw new IllegalStateException("the SQLite store " + file + " is not open yet");
    }
    return r;
  }
}
