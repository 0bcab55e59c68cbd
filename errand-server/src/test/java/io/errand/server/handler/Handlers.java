package io.errand.server.handler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.Backoff;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Builds handlers from options as a config file would give them, and an Errand to run them. */
final class Handlers {
  static final String QUEUE = "q";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Handlers() {}

  /** The settings of queue {@value #QUEUE} with {@code options} (plain JSON values). */
  static HandlerSettings settings(Map<String, ?> options) {
    return new HandlerSettings(QUEUE, "queues." + QUEUE + ".options",
        MAPPER.valueToTree(options), Path.of("errand-data"));
  }

  /**
   * An Errand (memory store) with queue {@value #QUEUE} running {@code factory}'s handler for
   * {@code options}; retries come after 10 ms so that tests need not wait for them.
   */
  static Errand errand(HandlerFactory factory, Map<String, ?> options,
      UnaryOperator<QueueSpec.Builder<Object, Object>> tune) {
    QueueSpec.Builder<Object, Object> spec = QueueSpec.builder(QUEUE, Object.class,
        factory.create(settings(options))).backoff(Backoff.fixed(Duration.ofMillis(10)));
    return Errand.builder().queue(tune.apply(spec).build()).build();
  }

  /** The task's final snapshot, waiting at most 60 s. */
  static TaskInfo done(Errand errand, long id) throws Exception {
    return errand.await(id).get(60, TimeUnit.SECONDS);
  }

  /** The task now. */
  static TaskInfo now(Errand errand, long id) {
    return errand.get(id).orElseThrow();
  }

  /** Whether the task runs now. */
  static boolean running(Errand errand, long id) {
    return now(errand, id).status() == TaskStatus.RUNNING;
  }
}
