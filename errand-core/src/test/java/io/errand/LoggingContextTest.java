package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.errand.api.Backoff;
import io.errand.api.Errand;
import io.errand.api.KeyState;
import io.errand.api.QueueSpec;
import io.errand.api.RestartPolicy;
import io.errand.api.SubmitOptions;
import io.errand.api.Supervisor;
import io.errand.api.SupervisorSpec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** What a handler's own log lines can say about its task: the MDC Errand sets around it. */
class LoggingContextTest {

  @Test
  void everyTaskHandlerSeesItsTaskInTheMdcAndNothingOfTheTaskBefore() {
    Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("mail", String.class, ctx -> {
          seen.put(ctx.args() + "#" + ctx.attempt(), copyOfMdc());
          if (ctx.args().equals("flaky") && ctx.attempt() == 1) {
            throw new IllegalStateException("try again");
          }
          return null;
        }).workers(1).attempts(2).build())
        .build()) {
      long keyed = errand.submit("mail", "keyed", SubmitOptions.keyed("user-7"));
      Await.finished(errand, keyed);
      long plain = errand.submit("mail", "plain"); // same worker: the key must not linger
      Await.finished(errand, plain);
      long flaky = errand.submit("mail", "flaky");
      Await.finished(errand, flaky);

      assertThat(seen.get("keyed#1")).containsExactlyInAnyOrderEntriesOf(Map.of(
          "errand.task_id", Long.toString(keyed), "errand.queue", "mail",
          "errand.attempt", "1", "errand.key", "user-7"));
      assertThat(seen.get("plain#1")).containsExactlyInAnyOrderEntriesOf(Map.of(
          "errand.task_id", Long.toString(plain), "errand.queue", "mail",
          "errand.attempt", "1"));
      assertThat(seen.get("flaky#2")).containsEntry("errand.task_id", Long.toString(flaky))
          .containsEntry("errand.attempt", "2");
    }
  }

  @Test
  void aSupervisedKeysHandlerSeesItsSupervisorKeyAndRun() {
    Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();
    SupervisorSpec<String> spec = SupervisorSpec.builder("accounts", String.class, ctx -> {
      seen.put(ctx.key() + "#" + ctx.attempt(), copyOfMdc());
      if (ctx.attempt() == 1) {
        throw new IllegalStateException("crash once");
      }
      CountDownLatch stop = new CountDownLatch(1);
      ctx.onCancel(stop::countDown);
      stop.await(); // runs until the key is removed
    }).restart(RestartPolicy.onFailure().withBackoff(Backoff.fixed(Duration.ZERO))).build();
    try (Errand errand = Errand.builder().supervisor(spec).build()) {
      Supervisor accounts = errand.supervisor("accounts");
      accounts.put("alice", "settings");
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.containsKey("alice#2")
          && accounts.status("alice").map(s -> s.state()).orElse(null) == KeyState.RUNNING);
      assertThat(seen.get("alice#1")).containsEntry("errand.queue", "accounts")
          .containsEntry("errand.key", "alice").containsEntry("errand.attempt", "1")
          .containsKey("errand.task_id");
      assertThat(seen.get("alice#2")).containsEntry("errand.attempt", "2");
      assertThat(seen.get("alice#2").get("errand.task_id"))
          .isNotEqualTo(seen.get("alice#1").get("errand.task_id")); // a new instance
      accounts.remove("alice");
    }
  }

  @Test
  void aTaskFailedForGoodAndAKeyGoneFailedAreWarnedWithTheirMdcInTheLogEvent() {
    Logger failures = (Logger) LoggerFactory.getLogger("io.errand.engine.FailureLog");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    failures.addAppender(appender);
    SupervisorSpec<String> spec = SupervisorSpec.builder("accounts", String.class, ctx -> {
      throw new IllegalStateException("cannot connect");
    }).restart(RestartPolicy.never()).build();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("mail", String.class, ctx -> {
          throw new IllegalStateException("smtp down");
        }).attempts(1).build())
        .supervisor(spec)
        .build()) {
      long id = errand.submit("mail", "x", SubmitOptions.keyed("user-7"));
      Await.finished(errand, id);
      errand.supervisor("accounts").put("alice", "settings");

      await().atMost(Duration.ofSeconds(20)).until(() -> appender.list.size() == 2);
      ILoggingEvent task = appender.list.stream()
          .filter(e -> e.getFormattedMessage().startsWith("task ")).findFirst().orElseThrow();
      assertThat(task.getLevel()).isEqualTo(Level.WARN);
      assertThat(task.getFormattedMessage()).isEqualTo("task " + id + " of queue 'mail' failed "
          + "for good after 1 attempt: attempt 1: java.lang.IllegalStateException: smtp down");
      assertThat(task.getMDCPropertyMap()).containsEntry("errand.task_id", Long.toString(id))
          .containsEntry("errand.queue", "mail").containsEntry("errand.attempt", "1")
          .containsEntry("errand.key", "user-7");
      ILoggingEvent key = appender.list.stream()
          .filter(e -> e.getFormattedMessage().startsWith("key ")).findFirst().orElseThrow();
      assertThat(key.getLevel()).isEqualTo(Level.WARN);
      assertThat(key.getFormattedMessage()).isEqualTo("key 'alice' of supervisor 'accounts' "
          + "FAILED (crashed and restarts are off); last error: attempt 1: "
          + "java.lang.IllegalStateException: cannot connect");
      assertThat(key.getMDCPropertyMap()).containsEntry("errand.queue", "accounts")
          .containsEntry("errand.key", "alice").containsEntry("errand.attempt", "1");
    } finally {
      failures.detachAppender(appender);
    }
  }

  private static Map<String, String> copyOfMdc() {
    Map<String, String> m = MDC.getCopyOfContextMap();
    return m == null ? Map.of() : Map.copyOf(m);
  }
}
