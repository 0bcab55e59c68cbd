package io.errand.sqlite;

import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.spi.Claim;
import io.errand.spi.GroupInserted;
import io.errand.spi.GroupKind;
import io.errand.spi.Outcome;
import io.errand.spi.StoreContext;
import io.errand.spi.TaskStore;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.RecordingSignals;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch whose last task ended with no engine to release its callback (the node died between
 * the two) has its callback released when the next engine starts on the file.
 */
class SqliteBatchCallbackRecoveryTest {
  @TempDir
  Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void theNextStartReleasesTheCallbackOfABatchThatEndedBeforeIt() {
    Path file = dir.resolve("errand.db");
    Instant now = Instant.now();
    GroupInserted g;
    TaskStore store = SqliteStore.at(file);
    store.open(new StoreContext(java.time.Clock.systemUTC(), new RecordingSignals(),
        new JsonTestCodec(Map.of()), "dead-node"));
    try {
      g = store.groups().insert(List.of(task("work").args(1).createdAt(now).build(),
          task("fanin").args("report").createdAt(now).build()), GroupKind.BATCH_CALLBACK_ON_END);
      Claim c = store.tasks().claim("work", "dead-node", now);
      assertThat(c).isInstanceOf(Claim.Claimed.class);
      store.tasks().finish(g.ids().get(0), 1, new Outcome.Succeeded(2), now);
      assertThat(store.tasks().claim("fanin", "dead-node", now)).as("held")
          .isEqualTo(Claim.NONE_DUE);
    } finally {
      store.close(); // no engine ever saw the end: the callback is still held
    }

    AtomicReference<Object> seen = new AtomicReference<>();
    try (Errand errand = Errand.builder().store(SqliteStore.at(file))
        .queue(QueueSpec.builder("work", Integer.class, ctx -> ctx.args()).build())
        .queue(QueueSpec.builder("fanin", Object.class, ctx -> {
          seen.set(ctx.previousResult().orElse(null));
          return "done";
        }).build())
        .build()) {
      long callback = g.ids().get(1);
      await().atMost(Duration.ofSeconds(60)).until(() ->
          errand.get(callback).map(TaskInfo::status).orElse(null) == TaskStatus.SUCCESS);
      Map<String, Object> outcome = (Map<String, Object>) seen.get();
      assertThat(((Number) outcome.get("succeeded")).longValue()).isEqualTo(1);
      assertThat(((Number) outcome.get("group")).longValue()).isEqualTo(g.group());
    }
  }
}
