package io.errand;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.*;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void runs() throws Exception {
    try (Errand e = Errand.builder().queue(QueueSpec.builder("q", Integer.class, ctx -> {
      ctx.progress(1, 2, "half");
      return ctx.args() * 2;
    }).workers(2).build()).build()) {
      long id = e.submit("q", 21);
      TaskInfo info = e.await(id).get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(info.status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(info.result(Integer.class)).isEqualTo(42);
      assertThat(info.current()).isEqualTo(1);
    }
  }
}
