package io.errand.postgres;

import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.TaskError;
import io.errand.api.TaskStatus;
import io.errand.spi.Change;
import io.errand.spi.Claim;
import io.errand.spi.EndAndNext;
import io.errand.spi.Outcome;
import io.errand.spi.TaskRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batched completion (docs/postgres.md 3.5): ends of attempts that wait together are written in
 * one transaction, successes with one statement, and each end is still fenced by its own
 * attempt. The completer is held inside its first batch ({@link HeldBatches}: its claim changes
 * a count), so the ends made meanwhile are all pending when it comes back.
 */
class BatchedEndsTest {
  private static final String Q = "mail";
  private static final String NODE = "node-a";

  private HeldBatches batches;
  private Node node;

  @BeforeEach
  void open() {
    batches = new HeldBatches(NODE, 12);
    node = batches.node;
  }

  @AfterEach
  void close() {
    batches.close();
  }

  @Test
  void endsThatWaitTogetherShareOneTransactionAndEachIsFencedByItsOwnAttempt() throws Exception {
    for (int i = 0; i < 25; i++) {
      node.store.tasks().insert(task(Q).createdAt(Instant.now()).build());
    }
    List<TaskRecord> running = node.store.tasks().claim(Q, NODE, Instant.now(), 11);
    assertThat(running).hasSize(11);
    Completer completer = node.store.completer();
    long before = completer.batches();
    Map<Long, Future<EndAndNext>> answers = new HashMap<>();
    Set<Long> fenced = new HashSet<>();
    long failed = running.get(1).id();
    TaskRecord first = running.get(0);
    int firstAttempt = first.info().attempt();
    try (HeldBatches.Hold<EndAndNext> held = batches.hold(completer::batches,
        completer::pending, () -> end(first, firstAttempt, succeeded()))) {
      answers.put(first.id(), held.first());
      for (TaskRecord t : running.subList(1, running.size())) {
        boolean late = fenced.size() < 3 && t.id() != failed;
        if (late) {
          fenced.add(t.id());
        }
        // a late worker's attempt is not the task's
        int attempt = late ? t.info().attempt() + 1 : t.info().attempt();
        Outcome outcome = t.id() == failed
            ? new Outcome.Failed(new TaskError(t.info().attempt(), "java.io.IOException", "down",
                Instant.now()))
            : succeeded();
        answers.put(t.id(), batches.submit(() -> end(t, attempt, outcome)));
      }
      held.releaseWhenPending(10);
    }
    Set<Long> next = new HashSet<>();
    for (Map.Entry<Long, Future<EndAndNext>> e : answers.entrySet()) {
      EndAndNext answer = e.getValue().get();
      long id = e.getKey();
      if (fenced.contains(id)) {
        assertThat(answer.ended()).as("task %d, a late attempt", id).isEqualTo(Change.FENCED_OUT);
      } else {
        TaskStatus expected = id == failed ? TaskStatus.FAILURE : TaskStatus.SUCCESS;
        assertThat(answer.ended()).isInstanceOfSatisfying(Change.Changed.class,
            c -> assertThat(c.record().info().status()).isEqualTo(expected));
      }
      assertThat(answer.next()).as("each end claims the next task of its queue")
          .isInstanceOf(Claim.Claimed.class);
      next.add(((Claim.Claimed) answer.next()).record().id());
    }
    assertThat(next).as("no task handed to two workers").hasSize(11);
    assertThat(completer.batches()).as("the 10 waiting ends were written together")
        .isEqualTo(before + 2);
    Map<String, Integer> statuses = statuses();
    assertThat(statuses).containsEntry("SUCCESS", 7).containsEntry("FAILURE", 1)
        .containsEntry("RUNNING", 3 + 11).containsEntry("WAITING", 3);
    assertThat(node.store.tasks().waiting(Q)).isEqualTo(3);
    for (long id : fenced) {
      assertThat(node.store.tasks().find(id)).get().satisfies(t -> {
        assertThat(t.info().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(t.info().attempt()).isEqualTo(1);
      });
    }
  }

  @Test
  void aLoneEndClaimsNothingWhenNothingIsDue() {
    node.store.tasks().insert(task(Q).createdAt(Instant.now()).build());
    TaskRecord t = node.store.tasks().claim(Q, NODE, Instant.now(), 1).get(0);
    EndAndNext answer = end(t, t.info().attempt(), succeeded());
    assertThat(answer.ended()).isInstanceOf(Change.Changed.class);
    assertThat(answer.next()).isEqualTo(Claim.NONE_DUE);
    assertThat(node.store.tasks().find(t.id()).orElseThrow().info().status())
        .isEqualTo(TaskStatus.SUCCESS);
  }

  private static Outcome succeeded() {
    return new Outcome.Succeeded("done");
  }

  private EndAndNext end(TaskRecord t, int attempt, Outcome outcome) {
    return node.store.tasks().finishAndClaim(t.id(), attempt, outcome, Instant.now(), Q, NODE);
  }

  private Map<String, Integer> statuses() throws Exception {
    Map<String, Integer> out = new HashMap<>();
    try (Connection c = batches.db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT status, count(*) FROM " + batches.schema
            + ".tasks GROUP BY status")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getInt(2));
      }
    }
    return out;
  }
}
