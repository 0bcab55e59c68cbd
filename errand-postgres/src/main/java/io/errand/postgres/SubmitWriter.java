package io.errand.postgres;

import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Group commit of one node's submits: submitters hand their task to one writer thread and wait
 * for its commit; the writer takes every submit that is pending when it is free (at most
 * {@link #MAX_BATCH}) and writes them in one transaction, with one multi-row insert
 * ({@link Inserts#insertAll}) that also counts the rows: a batch is two round trips (the
 * queues' counts, then that statement) and the commit; a batch of plain submits
 * ({@link PlainSubmits}) is one statement in autocommit, one round trip. The other nodes are
 * notified after the commit, one notification per queue ({@link Notifier}). Under load N
 * submitters share one commit, one WAL flush and one notification instead of N of each; alone, a submit is a batch of one. No timer waits for a batch to fill, so a
 * lone submit is not delayed.
 *
 * <p>A submit returns only after the commit that holds it. A refused submit (queue full, given
 * id taken) fails alone; its batch-mates go on. A failure of the database fails the whole batch
 * (nothing of it was committed). Since one writer writes all of a node's submits, one batch at a
 * time, capacity is exact among them ({@link Inserts}).
 */
final class SubmitWriter implements AutoCloseable {
  /** The most submits one transaction writes. */
  static final int MAX_BATCH = 256;

  private record Request(NewTask task, String args, CompletableFuture<Inserted> answer)
      implements GroupCommit.Request<Inserted> {}

  private final Database db;
  private final Inserts inserts;
  private final Signalling signalling;
  private final GroupCommit<Inserted, Request> group;

  SubmitWriter(Database db, Inserts inserts, Signalling signalling, String name) {
    this.db = db;
    this.inserts = inserts;
    this.signalling = signalling;
    this.group = new GroupCommit<>(name, MAX_BATCH, this::write,
        r -> "this submit was written; nothing of it was stored");
    group.start();
  }

  /**
   * Inserts {@code task} (its arguments encoded as {@code args}) in the next batch and waits for
   * that batch's commit.
   *
   * @throws io.errand.api.QueueFullException   if its queue is full
   * @throws io.errand.api.InvalidTaskException if its given id is taken
   * @throws io.errand.api.ErrandException      ({@code store_failed}) if the database failed
   * @throws IllegalStateException              if the store was closed
   */
  Inserted submit(NewTask task, String args) {
    return group.await(new Request(task, args, new CompletableFuture<>()));
  }

  /** How many transactions the writer began (for tests). */
  long batches() {
    return group.batches();
  }

  /** How many submits wait for the writer to take them (for tests). */
  int pending() {
    return group.pending();
  }

  private void write(List<Request> batch) {
    List<Request> again = write(batch, PlainSubmits.applies(tasks(batch)));
    if (!again.isEmpty()) {
      write(again, false);
    }
  }

  private static List<NewTask> tasks(List<Request> batch) {
    List<NewTask> tasks = new ArrayList<>(batch.size());
    for (Request r : batch) {
      tasks.add(r.task());
    }
    return tasks;
  }

  /**
   * Writes {@code batch}, as one statement in autocommit if {@code plain}; answers the requests
   * that a plain statement could not write (a given id took their number) and that must be
   * written again, in a transaction.
   */
  private List<Request> write(List<Request> batch, boolean plain) {
    List<NewTask> tasks = new ArrayList<>(batch.size());
    List<String> args = new ArrayList<>(batch.size());
    for (Request r : batch) {
      tasks.add(r.task());
      args.add(r.args());
    }
    Object[] answers = group.transaction(batch, () -> {
      // No notice in the statement: the other nodes are notified after the commit
      // (Signalling#work, Notifier), so that this commit does not hold PostgreSQL's
      // notification lock through its WAL flush.
      Database.Work<Object[]> work = tx -> {
        Inserts.Written written = plain
            ? inserts.insertPlain(tx, tasks, args, null)
            : inserts.insertAll(tx, tasks, args, null);
        Object[] out = written.answers();
        Map<String, Boolean> due = new LinkedHashMap<>(); // queue -> whether a task is delayed
        for (int k = 0; k < out.length; k++) {
          if (out[k] instanceof Inserted.Created c) {
            NewTask t = tasks.get(k);
            signalling.added(tx, c.id(), t.queue(), t.key(), t.createdAt());
            due.merge(t.queue(), t.runAt().isAfter(t.createdAt()), Boolean::logicalOr);
          }
        }
        Set<String> updated = new LinkedHashSet<>();
        for (int k = 0; k < out.length; k++) {
          if (out[k] instanceof Inserted.Updated && !due.containsKey(tasks.get(k).queue())) {
            updated.add(tasks.get(k).queue()); // a debounced run time may have come nearer
          }
        }
        for (String q : updated) {
          signalling.work(tx, q);
        }
        for (Map.Entry<String, Boolean> e : due.entrySet()) {
          signalling.work(tx, e.getKey(), e.getValue());
        }
        return out;
      };
      // A plain batch is one statement: in autocommit its commit rides the same round trip.
      return plain ? db.autocommit(work) : db.transaction(work);
    });
    if (answers == null) {
      return List.of();
    }
    List<Request> again = new ArrayList<>();
    for (int k = 0; k < batch.size(); k++) {
      if (answers[k] instanceof Inserted i) {
        batch.get(k).answer().complete(i);
      } else if (answers[k] == null) {
        again.add(batch.get(k));
      } else {
        batch.get(k).answer().completeExceptionally((Throwable) answers[k]);
      }
    }
    return again;
  }

  /** Stops the writer after the batch it is writing; refuses the submits still pending. */
  @Override
  public void close() {
    group.close();
  }
}
