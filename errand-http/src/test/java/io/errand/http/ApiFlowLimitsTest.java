package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.api.ConcurrencyKey;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A queue's per-key and rate limits over HTTP: its detail shows them, a held task says why. */
class ApiFlowLimitsTest {

  @Test
  void theQueueShowsItsLimitsAndAHeldTaskSaysWhichLimitHoldsIt() throws Exception {
    try (Errand errand = Errand.builder().queue(QueueSpec.builder("mail", Object.class,
            ctx -> "sent").workers(2).concurrencyKey(ConcurrencyKey.argsField("tenant"))
            .perKeyConcurrency(1).rateLimit(1, Duration.ofHours(1))
            .perKeyRateLimit(5, Duration.ofMinutes(1)).build()).build()) {
      ApiServer server = ApiServer.builder(errand).port(0).build();
      Http http = new Http(server.start(), null);
      try {
        check(errand, http);
      } finally {
        server.stop();
      }
    }
  }

  private static void check(Errand errand, Http http) throws Exception {
    {
      JsonNode queue = http.get("/api/queues/mail").json();
      assertThat(queue.get("concurrency_key").asText()).isEqualTo("args /tenant");
      assertThat(queue.get("per_key_concurrency").asInt()).isEqualTo(1);
      assertThat(queue.get("rate_limit").asText()).isEqualTo("1/1h");
      assertThat(queue.get("per_key_rate_limit").asText()).isEqualTo("5/1m");

      long first = errand.submit("mail", java.util.Map.of("tenant", "acme"));
      assertThat(errand.await(first).get(20, TimeUnit.SECONDS).status())
          .isEqualTo(TaskStatus.SUCCESS);
      long held = errand.submit("mail", java.util.Map.of("tenant", "acme"));
      assertThat(http.get("/api/tasks/" + held).json().get("held_back").asText())
          .matches("rate limit of queue 'mail': 1/1h, next slot in (1h|59m|3[0-9]{3}s)");
    }
  }
}
