package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.memory.MemoryStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server's store masks URL passwords in what schedules keep and in the tasks they insert,
 * which reach the store through the schedule role rather than the masked tasks.
 */
class MaskingSchedulesTest {
  private static final Map<String, String> ARGS =
      Map.of("url", "http://tester:s3cret@host/repo.git");

  @Test
  void aSchedulesArgsAndItsTasksArgsHoldNoUrlPassword() {
    try (Errand errand = Errand.builder().store(new PasswordMaskingStore(new MemoryStore()))
        .queue(QueueSpec.builder("sync", Object.class, ctx -> null).build()).build()) {
      errand.schedules().create(Schedule.builder("s", "sync", ScheduleSpec.parse("@yearly"))
          .args(ARGS).build());
      assertThat(errand.schedules().get("s").orElseThrow().schedule().fixedArgs().orElseThrow()
          .toString()).doesNotContain("s3cret").contains("host/repo.git");
      long id = errand.schedules().runNow("s");
      assertThat(errand.get(id).orElseThrow().args().toString())
          .doesNotContain("s3cret").contains("host/repo.git");
    }
  }
}
