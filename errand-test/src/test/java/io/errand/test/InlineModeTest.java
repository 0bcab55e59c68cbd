package io.errand.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.Backoff;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQueue;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Inline mode: handlers run on the submitting thread, before the submit returns. */
class InlineModeTest {
  record Mail(String to) {}

  static final ThreadLocal<String> REQUEST = new ThreadLocal<>();
  final List<String> seen = new CopyOnWriteArrayList<>();
  Errand forHandlers;

  static final QueueSpec<Mail, String> MAIL_SPEC = QueueSpec.builder("mail", Mail.class,
      String.class, ctx -> "sent").build();

  @RegisterExtension
  final ErrandExtension errand = ErrandExtension.builder()
      .mode(ExecutionMode.INLINE)
      .queue(QueueSpec.builder("mail", Mail.class, String.class, ctx -> {
        seen.add(ctx.args().to() + " on " + Thread.currentThread().getName() + " in "
            + REQUEST.get());
        if (ctx.args().to().startsWith("fail")) {
          throw new IllegalStateException("mailbox full");
        }
        if (ctx.args().to().startsWith("fan")) {
          forHandlers.submit("mail", new Mail("child-of-" + ctx.args().to()));
        }
        return "sent to " + ctx.args().to();
      }).attempts(2).backoff(Backoff.fixed(Duration.ofMinutes(10))).build())
      .build();

  @Test
  void aSubmitRunsTheHandlerOnTheCallersThreadBeforeItReturns(TestErrand t) {
    REQUEST.set("request-7");
    long id = t.errand().submit("mail", new Mail("ada"));

    String me = Thread.currentThread().getName();
    assertThat(seen).containsExactly("ada on " + me + " in request-7");
    TaskInfo done = t.errand().get(id).orElseThrow();
    assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(done.response()).isEqualTo("sent to ada");
  }

  @Test
  void aFailedAttemptWaitsForItsRetryUntilTimeTravelRunsIt(TestErrand t) {
    long id = t.errand().submit("mail", new Mail("fail-once"));
    assertThat(t.errand().get(id).orElseThrow().status()).isEqualTo(TaskStatus.WAITING);

    t.advance(Duration.ofMinutes(10));

    TaskInfo done = t.errand().get(id).orElseThrow();
    assertThat(done.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(seen).allMatch(s -> s.contains(" on " + Thread.currentThread().getName()));
  }

  @Test
  void aTaskSubmittedByAHandlerRunsInlineToo(TestErrand t) {
    forHandlers = t.errand();
    t.errand().submit("mail", new Mail("fan"));

    assertThat(seen).hasSize(2);
    assertThat(t.submitted("mail")).extracting(TaskInfo::status)
        .containsExactly(TaskStatus.SUCCESS, TaskStatus.SUCCESS);
  }

  @Test
  void theTypedHandleSubmitsInlineAndADelayedTaskWaitsForItsTime(TestErrand t) {
    TaskQueue<Mail, String> mail = t.errand().queue(MAIL_SPEC);
    long now = mail.submit(new Mail("bob"));
    long later = mail.submit(new Mail("cy"), SubmitOptions.delayed(Duration.ofHours(1)));

    assertThat(mail.get(now).orElseThrow().result()).isEqualTo("sent to bob");
    assertThat(mail.get(later).orElseThrow().status()).isEqualTo(TaskStatus.WAITING);
    t.advance(Duration.ofHours(1));
    assertThat(mail.await(later).join().resultOrThrow()).isEqualTo("sent to cy");
  }

  @Test
  void anUnknownQueueIsRefusedAtOnce(TestErrand t) {
    assertThatThrownBy(() -> t.drain("nope"))
        .isInstanceOf(io.errand.api.UnknownQueueException.class);
  }
}
