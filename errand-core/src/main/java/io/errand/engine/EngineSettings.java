package io.errand.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.Errand;
import io.errand.api.EventListener;
import io.errand.api.QueueSpec;
import io.errand.api.SupervisorSpec;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings an engine starts from, as {@link Errand.Builder#build()} has checked them. Not
 * part of Errand's API (this package is not exported): the builder is the only way in, and the
 * invariants below are checked again here, so that no engine runs on settings it did not check.
 *
 * @param store         the store, not yet opened
 * @param clock         where every time comes from
 * @param queues        the queues, names unique
 * @param supervisors   the supervisors, names unique among queues and supervisors
 * @param listeners     event listeners by name
 * @param eventBuffer   the event bus's size, 16 to 2^26
 * @param shutdownGrace what {@link Errand#close()} gives running tasks, 0 to 100 years
 * @param node          this process's name among the store's nodes
 * @param objectMapper  the codec of arguments and results
 * @param errorTraceLimit the characters of a stack trace kept per failed attempt, 0 to
 *                      {@link io.errand.api.TaskError#MAX_TRACE_LIMIT}
 */
public record EngineSettings(TaskStore store, InstantSource clock, List<QueueSpec<?, ?>> queues,
    List<SupervisorSpec<?>> supervisors, Map<String, EventListener> listeners, int eventBuffer,
    Duration shutdownGrace, String node, ObjectMapper objectMapper, int errorTraceLimit) {

  /**
   * Copies the collections and checks the invariants.
   *
   * @throws NullPointerException naming a part that is null
   * @throws IllegalArgumentException if the event buffer or the grace is out of its range
   */
  public EngineSettings {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    queues = List.copyOf(queues);
    supervisors = List.copyOf(supervisors);
    listeners = Map.copyOf(listeners);
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(objectMapper, "objectMapper");
    if (eventBuffer < 16 || eventBuffer > (1 << 26)) {
      throw new IllegalArgumentException("eventBuffer must be between 16 and 67108864, was "
          + eventBuffer);
    }
    if (shutdownGrace.isNegative() || shutdownGrace.compareTo(Errand.LONGEST_DURATION) > 0) {
      throw new IllegalArgumentException("shutdownGrace must be >= 0 and at most 36525 days,"
          + " was " + shutdownGrace);
    }
    if (errorTraceLimit < 0 || errorTraceLimit > io.errand.api.TaskError.MAX_TRACE_LIMIT) {
      throw new IllegalArgumentException("errorTraceLimit must be between 0 and "
          + io.errand.api.TaskError.MAX_TRACE_LIMIT + ", was " + errorTraceLimit);
    }
  }
}
