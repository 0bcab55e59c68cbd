package io.errand.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every client command against a real server, run in this JVM: its output, its {@code --json}
 * and its exit code, on success and on each kind of failure.
 */
class CliCommandsTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  @TempDir
  static Path dir;
  static CliServer server;

  @BeforeAll
  static void serve() throws IOException {
    server = CliServer.start(dir, """
        server: {port: 0}
        store: {type: memory}
        queues:
          demo:   {handler: demo, workers: 4}
          listed: {handler: demo, workers: 2}
          held:   {handler: demo, workers: 1}
          slow:   {handler: demo, workers: 1}
          watched: {handler: demo, workers: 2}
          timed:  {handler: demo, workers: 1}
        schedules:
          yearly: {queue: timed, spec: "0 3 1 1 *", zone: Europe/Berlin,
                   args: {steps: 1, step_ms: 5}}
        supervisors:
          feeds: {handler: demo, restart: {mode: never}}
        users:
          ok:   {queue: demo, args: {steps: 2, step_ms: 5}}
          bad:  {queue: demo, args: {steps: 1, step_ms: 5, fail: true}}
          away: {queue: slow, args: {steps: 1}}
        """, null);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** {@code errand args --server <the server>}. */
  private static Cli.Result errand(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--server";
    all[args.length + 1] = server.url();
    return Cli.run(all);
  }

  private static void awaitStatus(long id, String status) {
    await().atMost(LONG).until(() -> server.status(id).equals(status));
  }

  private static JsonNode json(String text) throws IOException {
    return ApiClient.JSON.readTree(text);
  }

  @Test
  void failuresListSearchAndBulkRetryFindAndRunFailedTasksAgain() throws IOException {
    List<Long> failed = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      failed.add(server.submit("demo", "{\"steps\": 1, \"step_ms\": 1, \"fail\": true,"
          + " \"tag\": \"cli-triage\"}"));
    }
    failed.forEach(id -> awaitStatus(id, "FAILURE"));

    Cli.Result groups = errand("failures", "--search", "cli-triage");
    assertThat(groups.code()).as(groups.toString()).isZero();
    assertThat(groups.out()).contains("COUNT").containsPattern("\\s2\\s+\\S+");
    Cli.Result found = errand("list", "--search", "CLI-TRIAGE");
    assertThat(found.out()).as(found.toString()).contains(failed.get(0) + "", failed.get(1) + "");
    Cli.Result status = errand("status", failed.get(0) + "", "--trace");
    assertThat(status.out()).as(status.toString()).contains("stack trace:");

    Cli.Result counted = errand("bulk", "retry", "--search", "cli-triage", "--status", "failure");
    assertThat(counted.out()).as(counted.toString())
        .contains("2 tasks match; to retry them, run this again with --confirm 2");
    Cli.Result tooFew = errand("bulk", "retry", "--search", "cli-triage", "--status", "failure",
        "--confirm", "1");
    assertThat(tooFew.code()).as(tooFew.toString()).isEqualTo(1);
    assertThat(tooFew.err()).contains("2 tasks match the filter now");
    Cli.Result retried = errand("bulk", "retry", "--search", "cli-triage", "--status", "failure",
        "--confirm", "2");
    assertThat(retried.out()).as(retried.toString()).contains("retry: 2 done, 0 skipped");
    Cli.Result bad = errand("bulk", "explode");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("'explode' is not an action; use retry, cancel or delete");
  }

  @Test
  void listShowsTasksNewestFirstWithProgressAndFilters() throws IOException {
    long first = server.submit("listed", "{\"steps\": 2, \"step_ms\": 1}");
    long second = server.submit("listed", "{\"steps\": 2, \"step_ms\": 1}");
    awaitStatus(first, "SUCCESS");
    awaitStatus(second, "SUCCESS");

    Cli.Result r = errand("list", "--queue", "listed");
    assertThat(r.code()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).matches("ID +QUEUE +STATUS +PROGRESS +MESSAGE +AGE");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1).strip()).startsWith(second + " ").contains("listed", "SUCCESS",
        "[##########] 100%", "step 2 of 2");
    assertThat(lines.get(2).strip()).startsWith(first + " ");
    assertThat(r.err()).isEmpty();

    JsonNode page = json(errand("list", "--queue", "listed", "--json").out());
    assertThat(page.get("tasks")).extracting(t -> t.get("id").asLong())
        .containsExactly(second, first);

    assertThat(errand("list", "--queue", "listed", "--status", "failure").out())
        .isEqualTo("no tasks match\n");
    Cli.Result one = errand("list", "--queue", "listed", "--limit", "1");
    assertThat(one.out().lines()).hasSize(3).last().asString().contains("more with --limit");
  }

  @Test
  void listRefusesAnUnknownQueueOrStatusInOneLine() {
    Cli.Result queue = errand("list", "--queue", "nope");
    assertThat(queue.code()).isEqualTo(5);
    assertThat(queue.err()).startsWith("errand: there is no queue 'nope'").hasLineCount(1);
    assertThat(queue.out()).isEmpty();

    Cli.Result status = errand("list", "--status", "bogus");
    assertThat(status.code()).isEqualTo(2);
    assertThat(status.err()).contains("'status' must be one of").hasLineCount(1);
  }

  @Test
  void statusShowsEveryFieldOrTheRawJson() throws IOException {
    long id = server.submit("demo", "{\"steps\": 2, \"step_ms\": 1}");
    awaitStatus(id, "SUCCESS");
    Cli.Result r = errand("status", Long.toString(id));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("task " + id + " on queue demo: SUCCESS\n");
    for (String label : List.of("progress", "message", "attempt", "priority", "key", "batch",
        "created", "run at", "started", "finished", "args", "result", "errors")) {
      assertThat(r.out()).containsPattern("(?m)^  " + label + " +\\S");
    }
    assertThat(r.out()).contains("100%  2/2", "step 2 of 2", "{\"steps\":2}", "ago)");

    JsonNode raw = json(errand("status", Long.toString(id), "--json").out());
    assertThat(raw.get("id").asLong()).isEqualTo(id);
    assertThat(raw.get("response").get("steps").asInt()).isEqualTo(2);
  }

  @Test
  void statusOfAFailedTaskShowsItsErrors() {
    long id = server.submit("demo", "{\"steps\": 1, \"step_ms\": 1, \"fail\": true}");
    awaitStatus(id, "FAILURE");
    Cli.Result r = errand("status", Long.toString(id));
    assertThat(r.out()).contains(": FAILURE", "error      java.lang.IllegalStateException:"
        + " the demo task failed at step 1", "errors     1", "  attempt 1 at ");
  }

  @Test
  void statusOfNoSuchTaskIsNotFoundAndABadIdIsAUsageError() {
    Cli.Result none = errand("status", "987654");
    assertThat(none.code()).isEqualTo(5);
    assertThat(none.err()).isEqualTo("errand: there is no task 987654 (it never existed, or it"
        + " was removed after its queue's retention)\n");

    Cli.Result bad = errand("status", "abc");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("'abc' is not a task id");
  }

  @Test
  void anIdInAnotherSpellingActsOnNoTask() {
    // 12 in full-width and Arabic-Indic digits, with a sign, with a leading zero
    long id = server.submit("held", "{\"steps\": 1000, \"step_ms\": 20}");
    String digits = Long.toString(id);
    String fullWidth = digits.chars().mapToObj(c -> Character.toString(c - '0' + 0xFF10))
        .reduce("", String::concat);
    String arabicIndic = digits.chars().mapToObj(c -> Character.toString(c - '0' + 0x0660))
        .reduce("", String::concat);
    for (String spelling : List.of(fullWidth, arabicIndic, "+" + digits, "0" + digits,
        digits + ".0", "-" + digits)) {
      for (String command : List.of("cancel", "status")) {
        Cli.Result r = errand(command, spelling);
        assertThat(r.code()).as(command + " " + spelling + ": " + r).isEqualTo(2);
        assertThat(r.err()).as(command + " " + spelling).contains("is not a task id")
            .contains("ASCII digits, without sign or leading zero");
      }
    }
    assertThat(server.status(id)).isIn("WAITING", "RUNNING");
    assertThat(errand("cancel", digits).code()).isZero();
  }

  @Test
  void cancelSaysWhatItDidForWaitingRunningAndFinishedTasks() throws IOException {
    long running = server.submit("held", "{\"steps\": 1000, \"step_ms\": 20}");
    awaitStatus(running, "RUNNING");
    long waiting = server.submit("held", "{\"steps\": 1}");

    Cli.Result w = errand("cancel", Long.toString(waiting), "--reason", "not needed");
    assertThat(w.code()).as(w.toString()).isZero();
    assertThat(w.out()).isEqualTo("task " + waiting + " cancelled\n");
    assertThat(server.task(waiting).get("cancel_reason").asText()).isEqualTo("not needed");

    Cli.Result r = errand("cancel", Long.toString(running), "--json");
    assertThat(r.code()).isZero();
    assertThat(json(r.out()).get("result").asText()).isIn("stopping", "cancelled");
    awaitStatus(running, "CANCELLED");

    Cli.Result again = errand("cancel", Long.toString(running));
    assertThat(again.out()).isEqualTo("task " + running + " had already finished: CANCELLED\n");

    Cli.Result none = errand("cancel", "987654");
    assertThat(none.code()).isEqualTo(5);
    assertThat(none.err()).startsWith("errand: there is no task 987654");
  }

  @Test
  void submitAddsATaskWithItsOptions() throws IOException {
    Cli.Result r = errand("submit", "demo", "{\"steps\": 1, \"step_ms\": 1}", "--priority", "7",
        "--key", "nightly", "--delay", "1h"); // still waiting at the second submit
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).matches("task \\d+ added to queue demo \\(WAITING\\)\n");
    long id = Long.parseLong(r.out().split(" ")[1]);
    JsonNode t = server.task(id);
    assertThat(t.get("priority").asInt()).isEqualTo(7);
    assertThat(t.get("key").asText()).isEqualTo("nightly");
    assertThat(Instant.parse(t.get("run_at").asText()))
        .isAfter(Instant.parse(t.get("created_at").asText()));

    Cli.Result again = errand("submit", "demo", "{}", "--key", "nightly");
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.out()).isEqualTo("task " + id + " of queue demo already holds key nightly "
        + "(WAITING): nothing added\n");

    JsonNode added = json(errand("submit", "demo", "{}", "--json").out());
    assertThat(added.get("id").asLong()).isPositive();
    assertThat(added.has("status")).isTrue();
  }

  @Test
  void submitDebouncesAndRefusesABadUniqueness() {
    Cli.Result r = errand("submit", "demo", "{}", "--key", "deb", "--delay", "1h",
        "--on-conflict", "debounce");
    assertThat(r.code()).as(r.toString()).isZero();
    long id = Long.parseLong(r.out().split(" ")[1]);
    Cli.Result again = errand("submit", "demo", "{}", "--key", "deb", "--delay", "2h",
        "--on-conflict", "debounce");
    assertThat(again.out()).isEqualTo("task " + id + " of queue demo already holds key deb "
        + "(WAITING): nothing added, its run time pushed\n");
    assertThat(Instant.parse(server.task(id).get("run_at").asText()))
        .isAfter(Instant.now().plus(java.time.Duration.ofMinutes(119)));

    Cli.Result zero = errand("submit", "demo", "{}", "--key", "z", "--unique-period", "0s");
    assertThat(zero.code()).as(zero.toString()).isNotZero();
    assertThat(zero.err()).contains("'unique_period' must be more than 0");
    Cli.Result state = errand("submit", "demo", "{}", "--key", "z", "--unique-states", "DONE");
    assertThat(state.err()).contains("unknown state 'DONE'");
  }

  @Test
  void submitBatchWithACallbackNamesTheCallbackTask() {
    Cli.Result r = errand("submit", "demo", "[{\"steps\": 1, \"step_ms\": 1}]", "--batch",
        "--callback", "demo", "--callback-args", "{\"steps\": 1, \"step_ms\": 1}",
        "--callback-on", "end");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).matches("batch \\d+ of 1 tasks added to queue demo; callback task "
        + "\\d+ runs when it ends\n");
    long callback = Long.parseLong(r.out().trim().split(" ")[11]);
    await().atMost(LONG).until(() -> server.status(callback).equals("SUCCESS"));

    Cli.Result missing = errand("submit", "demo", "[1]", "--batch", "--callback", "nowhere");
    assertThat(missing.code()).as(missing.toString()).isNotZero();
    assertThat(missing.err()).contains("field 'callback.queue': there is no queue 'nowhere'");
    Cli.Result notBatch = errand("submit", "demo", "{}", "--callback", "demo");
    assertThat(notBatch.code()).isEqualTo(2);
    assertThat(notBatch.err()).contains("go with --batch");
  }

  @Test
  void submitAndWaitExitsZeroOnSuccessWithAProgressBar() {
    Cli.Result r = errand("submit", "demo", "{\"steps\": 3, \"step_ms\": 30}", "--wait");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("[##############################] 100%  SUCCESS")
        .containsPattern("(?m)^task \\d+ SUCCESS: \\{\"steps\":3}$");
    assertThat(r.out()).doesNotContain("\u001b");
  }

  @Test
  void submitAndWaitExitsOneOnFailure() {
    Cli.Result r = errand("submit", "demo", "{\"steps\": 1, \"step_ms\": 1, \"fail\": true}",
        "--wait");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).containsPattern("task \\d+ FAILURE after 1 attempt\\(s\\): the demo task"
        + " failed at step 1");
  }

  @Test
  void submitAndWaitExitsThreeWhenCancelled() {
    CompletableFuture<Cli.Result> waiting = CompletableFuture.supplyAsync(() -> errand("submit",
        "slow", "{\"steps\": 1000, \"step_ms\": 20}", "--wait"));
    await().atMost(LONG).until(() -> !server.api("GET", "/api/tasks?queue=slow&status=RUNNING",
        null).get("tasks").isEmpty());
    long id = server.api("GET", "/api/tasks?queue=slow&status=RUNNING", null).at("/tasks/0/id")
        .asLong();
    server.api("POST", "/api/tasks/" + id + "/cancel", "{\"reason\": \"changed my mind\"}");
    Cli.Result r = waiting.join();
    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    assertThat(r.out()).contains("task " + id + " CANCELLED: changed my mind");
  }

  @Test
  void submitAndWaitWithJsonPrintsOnlyTheFinalTask() throws IOException {
    Cli.Result r = errand("submit", "demo", "{\"steps\": 2, \"step_ms\": 1}", "--wait", "--json");
    assertThat(r.code()).isZero();
    assertThat(json(r.out()).get("status").asText()).isEqualTo("SUCCESS");
  }

  @Test
  void submitRefusesBadArgumentsAndUnknownQueues() {
    Cli.Result bad = errand("submit", "demo", "{steps: 1");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("errand: the task's arguments are not valid JSON")
        .hasLineCount(1);

    Cli.Result trailing = errand("submit", "demo", "{} {}");
    assertThat(trailing.code()).isEqualTo(2);

    Cli.Result queue = errand("submit", "nope", "{}");
    assertThat(queue.code()).isEqualTo(5);
    assertThat(queue.err()).startsWith("errand: there is no queue 'nope'");

    Cli.Result delay = errand("submit", "demo", "{}", "--delay", "soon");
    assertThat(delay.code()).isEqualTo(2);
    assertThat(delay.err()).contains("'delay'");

    for (String far : List.of("106751991d", "1000000000000000000000ms", "36526d")) {
      Cli.Result r = errand("submit", "demo", "{}", "--delay", far);
      assertThat(r.code()).as(far + ": " + r).isEqualTo(2);
      assertThat(r.err()).as(far).contains("field 'delay' must be from 0 to 36525 days")
          .hasLineCount(1);
    }
  }

  @Test
  void queuesListsEveryQueueWithItsCounts() throws IOException {
    Cli.Result r = errand("queues");
    assertThat(r.code()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).matches("QUEUE +WORKERS +RUNNING +WAITING +SUCCEEDED +FAILED"
        + " +CANCELLED +RETRIED +PER SEC");
    assertThat(lines).extracting(l -> l.split(" +")[0]).containsSubsequence("demo", "listed",
        "held", "slow", "watched");
    assertThat(lines.get(1)).matches("demo +4 +\\d+ .*");
    assertThat(json(errand("queues", "--json").out()).get("queues")).hasSize(6);
  }

  @Test
  void keysListsASupervisorsKeysOrTheSupervisors() throws IOException {
    server.api("PUT", "/api/supervisors/feeds/keys/acme",
        "{\"args\": {\"steps\": 1000, \"step_ms\": 50}}");
    Cli.Result r = errand("keys", "feeds");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out().lines().toList().get(0)).matches("KEY +STATE +SINCE +RESTARTS +MESSAGE");
    assertThat(r.out()).containsPattern("(?m)^acme +(STARTING|RUNNING) ");
    assertThat(json(errand("keys", "feeds", "--json").out()).at("/keys/0/key").asText())
        .isEqualTo("acme");

    Cli.Result all = errand("keys");
    assertThat(all.out()).containsPattern("(?m)^feeds +1 +1 (STARTING|RUNNING)$");

    Cli.Result none = errand("keys", "nope");
    assertThat(none.code()).isEqualTo(5);
    assertThat(none.err()).startsWith("errand: there is no supervisor 'nope'");
    server.api("DELETE", "/api/supervisors/feeds/keys/acme", null);
  }

  @Test
  void schedulesListsTheConfiguredScheduleAndScheduleActsOnIt() throws IOException {
    Cli.Result r = errand("schedules");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out().lines().toList().get(0))
        .matches("SCHEDULE +QUEUE +WHEN +STATE +NEXT +LAST RUN");
    assertThat(r.out()).containsPattern(
        "(?m)^yearly +timed +cron 0 3 1 1 \\*, Europe/Berlin +ACTIVE +\\d{4}-01-01T02:00:00Z .* never$");

    Cli.Result paused = errand("schedule", "pause", "yearly");
    assertThat(paused.code()).as(paused.toString()).isZero();
    assertThat(paused.out().strip()).isEqualTo("schedule yearly is PAUSED");
    assertThat(errand("schedules").out()).containsPattern("(?m)^yearly .* PAUSED +paused +never$");
    assertThat(errand("schedule", "resume", "yearly").out().strip())
        .isEqualTo("schedule yearly is ACTIVE");

    Cli.Result next = errand("schedule", "next", "yearly", "-n", "2");
    assertThat(next.code()).as(next.toString()).isZero();
    assertThat(next.out().lines().toList()).hasSize(2)
        .allMatch(l -> l.matches("\\d{4}-01-01T02:00:00Z"));

    Cli.Result run = errand("schedule", "run-now", "yearly");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).matches("schedule yearly: task \\d+ submitted\\R");
    long task = Long.parseLong(run.out().replaceAll("\\D+", " ").strip());
    awaitStatus(task, "SUCCESS");
    assertThat(json(errand("schedules", "--json").out()).at("/schedules/0/last_run/task_id")
        .asLong()).isEqualTo(task);

    Cli.Result none = errand("schedule", "pause", "nope");
    assertThat(none.code()).isEqualTo(5);
    assertThat(none.err()).startsWith("errand: ").contains("nope");
    Cli.Result bad = errand("schedule", "stop", "yearly");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("errand: 'stop' is not an action; use one of pause, resume,"
        + " run-now, next\n");
  }

  @Test
  void queuePausesDrainsAndResumesAQueue() {
    Cli.Result paused = errand("queue", "pause", "timed");
    assertThat(paused.code()).as(paused.toString()).isZero();
    assertThat(paused.out().strip()).isEqualTo("queue timed is paused");
    assertThat(errand("queue", "pause", "timed").out().strip())
        .isEqualTo("queue timed is paused (it was already)");
    long waiting = server.submit("timed", "{\"steps\": 1, \"step_ms\": 1}");
    awaitStatus(server.submit("demo", "{\"steps\": 1, \"step_ms\": 1}"), "SUCCESS");
    assertThat(server.status(waiting)).isEqualTo("WAITING");

    Cli.Result drained = errand("queue", "drain", "timed", "--timeout", "5s");
    assertThat(drained.code()).as(drained.toString()).isZero();
    assertThat(drained.out().strip())
        .isEqualTo("queue timed is paused and drained: none of its tasks runs");

    Cli.Result resumed = errand("queue", "resume", "timed");
    assertThat(resumed.out().strip()).isEqualTo("queue timed is running");
    awaitStatus(waiting, "SUCCESS");

    Cli.Result none = errand("queue", "pause", "nope");
    assertThat(none.code()).isEqualTo(5);
    assertThat(none.err()).startsWith("errand: ").contains("nope");
    Cli.Result bad = errand("queue", "stop", "timed");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("errand: 'stop' is not an action; use one of pause, resume,"
        + " drain\n");
    Cli.Result long11 = errand("queue", "drain", "timed", "--timeout", "11m");
    assertThat(long11.code()).isEqualTo(2);
    assertThat(long11.err()).contains("--timeout must be from 0 to 10m, was 660s");
  }

  @Test
  void syncOfOneUserOfAnyQueueWaitsForItsTask() {
    Cli.Result r = errand("sync", "ok", "--wait");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("(?m)^ok: task \\d+ SUCCESS: \\{\"steps\":2}$");

    Cli.Result added = errand("sync", "ok", "--priority", "4");
    assertThat(added.out())
        .matches("ok: task \\d+ on queue demo \\((WAITING|RUNNING|SUCCESS)\\)\n");
    long id = Long.parseLong(added.out().split(" ")[2]);
    assertThat(server.task(id).get("priority").asInt()).isEqualTo(4);
  }

  @Test
  void aBatchSyncWithAFailureExitsOne() {
    Cli.Result r = errand("sync", "ok", "bad", "--wait");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).containsPattern("(?m)^batch \\d+ .* 2/2 done: 1 ok, 1 failed$")
        .containsPattern("(?m)^  ok: task \\d+ SUCCESS")
        .containsPattern("(?m)^  bad: task \\d+ FAILURE after 1 attempt\\(s\\): the demo task"
            + " failed");
  }

  @Test
  void syncSaysWhyItCannot() {
    Cli.Result none = errand("sync", "alice");
    assertThat(none.code()).isEqualTo(5);
    assertThat(none.err()).isEqualTo("errand: there is no user 'alice'; the users are ok, bad,"
        + " away\n");

    Cli.Result mixed = errand("sync", "--all");
    assertThat(mixed.code()).isEqualTo(2);
    assertThat(mixed.err()).contains("ok (queue demo) and away (queue slow) sync through"
        + " different queues").hasLineCount(1);

    Cli.Result priority = errand("sync", "ok", "bad", "--priority", "3");
    assertThat(priority.code()).isEqualTo(2);
    assertThat(priority.err()).contains("'priority' cannot be given for a batch");

    assertThat(errand("sync").code()).isEqualTo(2);
    Cli.Result both = errand("sync", "ok", "--all");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).isEqualTo("errand: give user names or --all, not both\n");
  }

  @Test
  void monitorWithoutATerminalAppendsPlainSnapshotsAndEndsByItself() {
    long id = server.submit("watched", "{\"steps\": 100, \"step_ms\": 30}");
    awaitStatus(id, "RUNNING");
    Cli.Result r = errand("monitor", "--interval", "200ms", "--duration", "1s", "--queue",
        "watched");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).doesNotContain("\u001b");
    assertThat(Pattern.compile("(?m)^errand monitor ").matcher(r.out()).results().count())
        .isBetween(2L, 7L); // about 6; fewer only on a very busy machine
    assertThat(r.out()).containsPattern("(?m)^watched +2 +1 ")
        .containsPattern("(?m)^ *" + id + " +watched +\\[#*-*\\] +\\d+% ")
        .endsWith("monitor ended after 1s\n");
    server.api("POST", "/api/tasks/" + id + "/cancel", null);
  }

  @Test
  void monitorWithJsonPrintsOneObjectPerRefresh() throws IOException {
    Cli.Result r = errand("monitor", "--interval", "200ms", "--duration", "500ms", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSizeBetween(2, 5);
    for (String line : lines) {
      JsonNode n = json(line);
      assertThat(n.get("queues")).hasSize(6);
      assertThat(n.has("running")).isTrue();
    }
  }

  @Test
  void monitorRefusesBadDurationsAndUnknownQueues() {
    Cli.Result fast = errand("monitor", "--interval", "10ms");
    assertThat(fast.code()).isEqualTo(2);
    assertThat(fast.err()).isEqualTo("errand: --interval must be at least 100ms, got 10ms\n");
    Cli.Result bad = errand("monitor", "--duration", "soon");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("'soon' is not a duration");
    for (String far : List.of("1000000000000000000000ms", "106751991d", "P40000D")) {
      Cli.Result r = errand("monitor", "--duration", far);
      assertThat(r.code()).as(far + ": " + r).isEqualTo(2);
      assertThat(r.err()).as(far).contains("is longer than the longest duration taken, 36525d");
    }
    Cli.Result queue = errand("monitor", "--queue", "nope", "--duration", "1s");
    assertThat(queue.code()).isEqualTo(5);
  }

  @Test
  void everyCommandHasHelp() {
    for (String cmd : List.of("list", "status", "monitor", "cancel", "submit", "sync", "users",
        "queues", "keys", "schedules", "schedule")) {
      Cli.Result r = Cli.run(cmd, "--help");
      assertThat(r.code()).as(cmd).isZero();
      assertThat(r.out()).as(cmd).startsWith("Usage: errand " + cmd)
          .contains("--server=URL", "--token=TOKEN", "--json", "Exit codes:");
    }
    Cli.Result root = Cli.run();
    assertThat(root.out()).contains("list", "status", "monitor", "cancel", "submit", "sync",
        "queues", "keys", "serve");
  }

  @Test
  void anUnreachableServerIsOneLineAndExitCodeFour() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free now, and nothing listens once it is closed
    }
    String url = "http://127.0.0.1:" + port;
    for (List<String> args : List.of(List.of("list"), List.of("status", "1"),
        List.of("cancel", "1"), List.of("submit", "demo", "{}"), List.of("sync", "alice"),
        List.of("queues"), List.of("keys", "feeds"), List.of("users"),
        List.of("monitor", "--duration", "1s"))) {
      List<String> all = new ArrayList<>(args);
      all.addAll(List.of("--server", url));
      Cli.Result r = Cli.run(all.toArray(String[]::new));
      assertThat(r.code()).as(args.toString()).isEqualTo(4);
      assertThat(r.err()).as(args.toString()).isEqualTo("errand: cannot reach the server at "
          + url + ": connection refused; is 'errand serve' running? set --server or"
          + " ERRAND_SERVER\n");
      assertThat(r.out()).as(args.toString()).isEmpty();
    }
  }

  @Test
  void aServerUrlThatIsNotOneIsAUsageError() {
    Cli.Result r = Cli.run("list", "--server", "localhost:8080");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("errand: --server must be an http:// or https:// URL with a"
        + " host, got 'localhost:8080'; e.g. http://127.0.0.1:8080\n");
  }
}
