package io.errand.postgres;

import io.errand.spi.GroupKind;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Transactional enqueue: inserts on the caller's connection, inside the caller's transaction,
 * through a savepoint. What can be refused without writing (bad arguments, a given id that is
 * not positive) is refused before the savepoint; what the database refuses (queue full, given
 * id taken, a failure) rolls back to the savepoint, so the caller's transaction stays usable
 * with nothing of the task in it. The {@code NOTIFY} is sent by PostgreSQL at the caller's
 * commit, never if it rolls back; it names origin 0, so every node, this one too, wakes its
 * workers of the queue. No ADDED event is raised here: this node cannot know whether the caller
 * commits. Capacity is the bounded check of {@link Inserts} (this insert is not one of the
 * writer's batches).
 */
final class JoinedInserts {
  private final Inserts inserts;
  private final Signalling signalling;
  private final Database db;

  JoinedInserts(Inserts inserts, Signalling signalling, Database db) {
    this.inserts = inserts;
    this.signalling = signalling;
    this.db = db;
  }

  /** Inserts {@code task} in the caller's transaction on {@code c}. */
  Inserted insert(Connection c, NewTask task, String args) {
    Object answer = inSavepoint(c, tx -> {
      Object out = inserts.insertAll(tx, List.of(task), List.of(args))[0];
      if (out instanceof Inserted.Created || out instanceof Inserted.Updated) {
        signalling.workAtCallersCommit(tx, task.queue());
      }
      return out;
    });
    if (answer instanceof Inserted i) {
      return i;
    }
    throw (RuntimeException) answer;
  }

  /** Inserts a group in the caller's transaction on {@code c}; see {@link Inserts#insertGroup}. */
  long[] insertGroup(Connection c, List<NewTask> tasks, List<String> args, GroupKind kind) {
    return inSavepoint(c, tx -> {
      long[] out = inserts.insertGroup(tx, tasks, args, kind);
      Set<String> due = new LinkedHashSet<>();
      for (int i = 0; i < tasks.size(); i++) {
        if (kind != GroupKind.CHAIN || i == 0) {
          due.add(tasks.get(i).queue());
        }
      }
      for (String q : due) {
        signalling.workAtCallersCommit(tx, q);
      }
      return out;
    });
  }

  /**
   * Runs {@code work} inside a savepoint of the caller's transaction: released when it answers,
   * rolled back when it throws, or when its answer is a refusal (an exception it returns).
   */
  private <T> T inSavepoint(Connection c, Database.Work<T> work) {
    Savepoint savepoint;
    try {
      if (c.getAutoCommit()) {
        throw new IllegalArgumentException("the connection is in auto-commit mode: there is no "
            + "transaction to add the task to. Call setAutoCommit(false) on it first, and "
            + "commit after the submit");
      }
      savepoint = c.setSavepoint();
    } catch (SQLException e) {
      throw db.failed(e);
    }
    try {
      T value = work.run(new Tx(c));
      if (value instanceof RuntimeException) {
        c.rollback(savepoint);
      } else {
        c.releaseSavepoint(savepoint);
      }
      return value;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback(savepoint);
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e instanceof SQLException s ? db.failed(s) : (RuntimeException) e;
    }
  }
}
