package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.ConcurrencyKey;
import io.errand.api.Errand;
import io.errand.api.InvalidSpecException;
import io.errand.api.QueueSpec;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A queue's concurrency key, per-key limit and rate limits through the engine (memory). */
class FlowLimitsTest {
  record Mail(String tenant, String to) {}

  private static QueueSpec.Builder<Mail, String> mail() {
    return QueueSpec.builder("mail", Mail.class, ctx -> "sent");
  }

  @Test
  void badFlowSettingsAreRefusedNamingTheSettingTheValueAndWhatIsAllowed() {
    ConcurrencyKey tenant = ConcurrencyKey.argsField("tenant");
    assertThatThrownBy(() -> mail().concurrencyKey(tenant).perKeyConcurrency(0).build())
        .isInstanceOf(InvalidSpecException.class).hasMessage("queue 'mail': perKeyConcurrency "
            + "must be >= 1 (leave it unset for no per-key limit), was 0");
    assertThatThrownBy(() -> mail().perKeyConcurrency(2).build())
        .hasMessage("queue 'mail': perKeyConcurrency must be set only with a concurrencyKey "
            + "(the value it counts per), was 2");
    assertThatThrownBy(() -> mail().rateLimit(0, Duration.ofMinutes(1)).build())
        .hasMessage("queue 'mail': rateLimit starts must be >= 1 (leave the rate limit unset "
            + "for none), was 0");
    assertThatThrownBy(() -> mail().rateLimit(100, Duration.ZERO).build())
        .hasMessage("queue 'mail': rateLimit period must be at least 1ms and at most 36525 "
            + "days (100 years), was PT0S");
    assertThatThrownBy(() -> mail().perKeyRateLimit(-1, Duration.ofSeconds(1)).build())
        .hasMessageContaining("queue 'mail': perKeyRateLimit starts must be >= 1");
    assertThatThrownBy(() -> mail().concurrencyKey(ConcurrencyKey.argsField("tenat")).build())
        .hasMessage("queue 'mail': concurrencyKey must be a field of Mail: one of [tenant, to],"
            + " was '/tenat'");
    assertThatThrownBy(() -> ConcurrencyKey.argsField(""))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("was ''");
    QueueSpec<Mail, String> ok = mail().concurrencyKey(ConcurrencyKey.argsField("/tenant"))
        .perKeyConcurrency(2).rateLimit(100, Duration.ofMinutes(1))
        .perKeyRateLimit(10, Duration.ofSeconds(1)).build().toBuilder().build();
    assertThat(ok.perKeyConcurrency()).hasValue(2);
    assertThat(ok.rateLimit().orElseThrow()).hasToString("100/1m");
    assertThat(ok.perKeyRateLimit().orElseThrow()).hasToString("10/1s");
    assertThat(ok.concurrencyKey()).contains(ConcurrencyKey.argsField("tenant"));
    assertThat(QueueSpec.builder("any", Map.class, ctx -> null)
        .concurrencyKey(ConcurrencyKey.argsField("whatever")).build().concurrencyKey())
        .as("a map may hold any field").isPresent();
  }

  /**
   * Two tenants, 2,000 tasks of one submitted before 10 of the other: the turn over key values
   * starts the small tenant's ten within the first 20 starts after they were submitted. One
   * worker, held until both are in, so the order the handlers see is the claim order (with
   * several, the handlers' own starts may pass each other on a busy machine; the bench measures
   * 4 workers).
   */
  @Test
  void aSmallTenantIsNotStarvedByABigOnesBacklog() throws Exception {
    List<String> starts = Collections.synchronizedList(new ArrayList<>());
    Gate gate = new Gate();
    try (Errand errand = Errand.builder().queue(QueueSpec.builder("mail", Mail.class, ctx -> {
      gate.pass();
      starts.add(ctx.args().tenant());
      return "sent";
    }).workers(1).concurrencyKey(ConcurrencyKey.argsField("tenant")).build()).build()) {
      List<Mail> big = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        big.add(new Mail("big", "b" + i));
      }
      errand.submitBatch("mail", big);
      List<Mail> small = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        small.add(new Mail("small", "s" + i));
      }
      List<Long> ids = errand.submitBatch("mail", small).ids();
      gate.open();
      ids.forEach(id -> assertThat(Await.finished(errand, id).status())
          .isEqualTo(TaskStatus.SUCCESS));
    }
    List<String> first = new ArrayList<>(starts.subList(0, 21));
    assertThat(first.get(0)).as("the start held until both were in").isEqualTo("big");
    assertThat(first.subList(1, 21)).as("the 20 starts after the held one: " + first)
        .filteredOn("small"::equals).hasSize(10);
  }

  @Test
  void aTaskHeldBackByARateLimitSaysWhyAndWhen() {
    try (Errand errand = Errand.builder().queue(mail().workers(2)
        .rateLimit(1, Duration.ofHours(1)).build()).build()) {
      long first = errand.submit("mail", new Mail("a", "x"));
      assertThat(Await.finished(errand, first).status()).isEqualTo(TaskStatus.SUCCESS);
      long held = errand.submit("mail", new Mail("a", "y"));
      assertThat(errand.control("mail").holdReason(errand.get(held).orElseThrow()).orElseThrow())
          .matches("rate limit of queue 'mail': 1/1h, next slot in (1h|59m|3[0-9]{3}s)");
      assertThat(errand.get(held).orElseThrow().status()).isEqualTo(TaskStatus.WAITING);
    }
  }
}
