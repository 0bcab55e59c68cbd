package io.errand.postgres;

import io.errand.jdbc.EncodedEnd;
import io.errand.jdbc.StoredTask;
import io.errand.spi.Outcome;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Group commit of one node's ends of attempts (docs/postgres.md 3.5): workers that end a task and
 * want the next one hand their end to one thread and wait for its commit; the thread takes every
 * end pending when it is free (at most {@link #MAX_BATCH}) and, in one transaction, ends them
 * ({@link Ends}: the successes with one statement, each row fenced by its own attempt) and claims
 * for each queue as many tasks as it has workers waiting, with one statement per queue. Under
 * load N workers share one transaction, one commit and one WAL flush instead of N of each;
 * alone, a worker's end is a batch of one, as costly as before. No timer waits for a batch to
 * fill.
 *
 * <p>An end is committed before its worker learns of it, so nothing observable changes for the
 * engine: a worker whose attempt was fenced out (a late worker, a task rescued from a node
 * presumed dead) gets no change, as with one statement per end. A failure of the database fails
 * the whole batch, nothing of it committed, and each worker sees the failure as it would have
 * seen its own.
 */
final class Completer implements AutoCloseable {
  /** The most ends one transaction writes. */
  static final int MAX_BATCH = 128;

  /** A worker's end and what it waits for: the ended row (null if fenced out) and its next. */
  record Request(long id, int attempt, EncodedEnd end, Instant at, String queue, String node,
      CompletableFuture<StoredTask[]> answer) implements GroupCommit.Request<StoredTask[]> {}

  private final Database db;
  private final Ends ends;
  private final Attempts attempts;
  private final GroupCommit<StoredTask[], Request> group;

  Completer(Database db, Ends ends, Attempts attempts, String name) {
    this.db = db;
    this.ends = ends;
    this.attempts = attempts;
    this.group = new GroupCommit<>(name, MAX_BATCH, this::write, r -> "this end of task "
        + r.id() + " was written; it was not recorded");
    group.start();
  }

  /**
   * Ends attempt {@code attempt} of task {@code id} as {@code end} says and claims the next task
   * of {@code queue} for {@code node}, in the next batch; waits for its commit. Answers the
   * ended row (null if the attempt was fenced out) and the claimed row (null if none was due).
   *
   * @throws io.errand.api.ErrandException ({@code store_failed}) if the database failed
   * @throws IllegalStateException         if the store was closed
   */
  StoredTask[] finishAndClaim(long id, int attempt, EncodedEnd end, Instant at, String queue,
      String node) {
    return group.await(new Request(id, attempt, end, at, queue, node,
        new CompletableFuture<>()));
  }

  /** How many transactions the completer began (for tests). */
  long batches() {
    return group.batches();
  }

  /** How many ends wait for the completer to take them (for tests). */
  int pending() {
    return group.pending();
  }

  private void write(List<Request> batch) {
    StoredTask[][] answers = group.transaction(batch,
        () -> db.transaction(tx -> endAndClaim(tx, batch)));
    if (answers == null) {
      return;
    }
    for (int k = 0; k < batch.size(); k++) {
      batch.get(k).answer().complete(answers[k]);
    }
  }

  /** Per request, in order: its ended row and its claimed one (each may be null). */
  private StoredTask[][] endAndClaim(Tx tx, List<Request> batch) throws SQLException {
    int n = batch.size();
    StoredTask[][] out = new StoredTask[n][2];
    List<Ends.Success> successes = new ArrayList<>();
    List<Integer> successAt = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      Request r = batch.get(k);
      if (r.end().outcome() instanceof Outcome.Succeeded) {
        successes.add(new Ends.Success(r.id(), r.attempt(), r.end().result(), r.at()));
        successAt.add(k);
      } else {
        out[k][0] = attempts.finish(tx, r.id(), r.attempt(), r.end(), r.at());
      }
    }
    StoredTask[] succeeded = ends.succeed(tx, successes);
    for (int j = 0; j < succeeded.length; j++) {
      out[successAt.get(j)][0] = succeeded[j];
    }
    // Sorted by queue: the claims change the queues' waiting counts in one order (no deadlock).
    Map<List<String>, List<Integer>> byQueue = new TreeMap<>((a, b) -> {
      int c = a.get(0).compareTo(b.get(0));
      return c != 0 ? c : a.get(1).compareTo(b.get(1));
    });
    for (int k = 0; k < n; k++) {
      Request r = batch.get(k);
      byQueue.computeIfAbsent(List.of(r.queue(), r.node()), q -> new ArrayList<>()).add(k);
    }
    for (Map.Entry<List<String>, List<Integer>> e : byQueue.entrySet()) {
      List<Integer> waiting = e.getValue();
      Instant now = batch.get(waiting.get(0)).at();
      for (int k : waiting) {
        Instant at = batch.get(k).at();
        if (at.isAfter(now)) {
          now = at;
        }
      }
      List<StoredTask> claimed = attempts.claim(tx, e.getKey().get(0), e.getKey().get(1), now,
          waiting.size());
      for (int j = 0; j < claimed.size(); j++) {
        out[waiting.get(j)][1] = claimed.get(j);
      }
    }
    return out;
  }

  /** Stops the completer after the batch it is writing; refuses the ends still pending. */
  @Override
  public void close() {
    group.close();
  }
}
