package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.Errand;
import io.errand.api.InvalidSpecException;
import io.errand.api.InvalidTaskException;
import io.errand.api.QueueSpec;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskQueue;
import io.errand.api.TaskResult;
import io.errand.api.TaskStatus;
import io.errand.api.UnknownQueueException;
import io.errand.memory.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The typed handle of a queue: what it accepts, what it refuses, and with which message. */
class TypedQueueTest {
  record Mail(String to, String subject) {}

  record Receipt(String messageId) {}

  private static final QueueSpec<Mail, Receipt> MAIL = QueueSpec.builder("mail", Mail.class,
      Receipt.class, ctx -> new Receipt("<" + ctx.args().to() + ">")).build();

  @Test
  void submitsAndAwaitsWithTheQueuesTypes() throws Exception {
    try (Errand errand = Errand.builder().queue(MAIL).build()) {
      TaskQueue<Mail, Receipt> mail = errand.queue(MAIL);
      long id = mail.submit(new Mail("ada@example.com", "Welcome"), SubmitOptions.keyed("ada"));
      TaskResult<Mail, Receipt> done = mail.await(id).get(30, TimeUnit.SECONDS);

      assertThat(mail.name()).isEqualTo("mail");
      assertThat(done.resultOrThrow()).isEqualTo(new Receipt("<ada@example.com>"));
      assertThat(done.args()).isEqualTo(new Mail("ada@example.com", "Welcome"));
      assertThat(done.info().key()).isEqualTo("ada");
      List<Long> batch = mail.submitBatch(List.of(new Mail("a@x", "1"), new Mail("b@x", "2")))
          .ids();
      for (long each : batch) {
        assertThat(mail.await(each).get(30, TimeUnit.SECONDS).status())
            .isEqualTo(TaskStatus.SUCCESS);
      }
    }
  }

  @Test
  void aCopyOfTheDeclaredSpecGivesTheSameHandle() {
    try (Errand errand = Errand.builder().queue(MAIL).build()) {
      QueueSpec<Mail, Receipt> copy = MAIL.toBuilder().workers(3).build();
      assertThat(errand.queue(copy).spec()).isSameAs(copy);
    }
  }

  @Test
  void aSpecWithoutAResultTypeIsRefusedSayingHowToDeclareOne() {
    QueueSpec<Mail, Receipt> untyped = QueueSpec.builder("mail", Mail.class,
        ctx -> new Receipt("x")).build();
    try (Errand errand = Errand.builder().queue(untyped).build()) {
      assertThatThrownBy(() -> errand.queue(untyped)).isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("queue 'mail' has no result type")
          .hasMessageContaining("QueueSpec.builder(name, argsType, resultType, handler)");
    }
  }

  @Test
  void aSpecWhoseTypesDifferFromTheDeclaredQueueIsRefused() {
    QueueSpec<String, Receipt> other = QueueSpec.builder("mail", String.class, Receipt.class,
        ctx -> new Receipt(ctx.args())).build();
    QueueSpec<Mail, Receipt> unknown = QueueSpec.builder("post", Mail.class, Receipt.class,
        ctx -> new Receipt("x")).build();
    try (Errand errand = Errand.builder().queue(MAIL).build()) {
      assertThatThrownBy(() -> errand.queue(other)).isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("declared with arguments " + Mail.class.getName())
          .hasMessageContaining("not java.lang.String");
      assertThatThrownBy(() -> errand.queue(unknown)).isInstanceOf(UnknownQueueException.class);
    }
  }

  @Test
  void aTaskOfAnotherQueueIsRefusedByTheHandle() {
    QueueSpec<String, String> echo = QueueSpec.builder("echo", String.class, String.class,
        ctx -> ctx.args()).build();
    try (Errand errand = Errand.builder().queue(MAIL).queue(echo).build()) {
      long id = errand.submit("echo", "hi");
      assertThatThrownBy(() -> errand.queue(MAIL).get(id))
          .isInstanceOf(InvalidTaskException.class)
          .hasMessage("task " + id + " belongs to queue 'echo', not 'mail'");
      assertThatThrownBy(() -> errand.queue(MAIL).await(id).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(InvalidTaskException.class);
    }
  }

  @Test
  void aNullResultTypeIsRefusedWhenTheSpecIsBuilt() {
    assertThatThrownBy(() -> QueueSpec.builder("mail", Mail.class, (Class<Receipt>) null,
        ctx -> new Receipt("x")).build()).isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("queue 'mail': resultType")
        .hasMessageContaining("Void.class");
  }

  @Test
  void theMemoryStoreKeepsObjectsByReferenceWhenAskedTo() throws Exception {
    java.util.concurrent.atomic.AtomicReference<Object> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    Mail mail = new Mail("ada@example.com", "Welcome");
    QueueSpec<Mail, Mail> same = QueueSpec.builder("same", Mail.class, Mail.class, ctx -> {
      seen.set(ctx.args());
      return ctx.args();
    }).build();
    try (Errand errand = Errand.builder()
        .store(new MemoryStore(MemoryStore.Payloads.BY_REFERENCE)).queue(same)
        .shutdownGrace(Duration.ofSeconds(5)).build()) {
      long id = errand.submit("same", mail);
      TaskResult<Mail, Mail> done = errand.queue(same).await(id).get(30, TimeUnit.SECONDS);
      assertThat(seen.get()).isSameAs(mail);
      assertThat(done.result()).isSameAs(mail);
    }
    try (Errand errand = Errand.builder().queue(same).build()) {
      long id = errand.submit("same", mail);
      TaskResult<Mail, Mail> done = errand.queue(same).await(id).get(30, TimeUnit.SECONDS);
      assertThat(done.result()).isEqualTo(mail).isNotSameAs(mail);
    }
  }
}
