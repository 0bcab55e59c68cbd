package io.errand.server.config;

import io.errand.api.Backoff;
import io.errand.api.QueueSpec;
import io.errand.common.Redaction;
import io.errand.common.SubstitutedText;
import io.errand.server.config.ServerConfig.QueueConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one queue's block: Errand's key names, and Yao's names for the same settings
 * ({@code worker_nums}, {@code size}, {@code process}, {@code attempt_after}, {@code event},
 * {@code name}) so that a Yao task file works as it is. Checks every value with the ranges
 * {@link QueueSpec.Builder#build()} applies, so a bad value stops start-up here, with its key
 * path, instead of later with a Java name for the setting.
 */
final class QueueReader {
  /** What {@link QueueSpec#builder} accepts as a name. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** Errand's key names and Yao's names for the same settings. */
  static final Map<String, String> YAO_NAMES = Map.of(
      "handler", "process",
      "workers", "worker_nums",
      "capacity", "size",
      "retry_after", "attempt_after",
      "events", "event",
      "label", "name");

  static final List<String> KEYS = List.of("handler", "options", "workers", "concurrency",
      QueueFlow.KEY, QueueFlow.PER_KEY, QueueFlow.RATE, QueueFlow.PER_KEY_RATE, "capacity",
      "timeout", "attempts", "retry_after", "backoff", "cancel_grace", "retention", "threads",
      "events", "next", "label", "process", "worker_nums", "size", "attempt_after", "event",
      "name");
  static final List<String> EVENTS = List.of("add", "success", "error", "progress");
  static final List<String> YAO_EVENTS = List.of("next", "add", "success", "error", "progress");

  // The defaults of QueueSpec.builder, so a queue that leaves a key out behaves as the library.
  static final int WORKERS = 1;
  static final int CAPACITY = 100_000;
  static final int MAX_WORKERS = 100_000;
  static final int ATTEMPTS = 1;
  static final Backoff BACKOFF = Backoff.fixed(Duration.ofSeconds(1));
  static final Duration CANCEL_GRACE = Duration.ofSeconds(5);

  private final Duration defaultRetention;
  private final Set<String> secretEnv = new LinkedHashSet<>();

  /** A reader whose queues keep finished tasks for {@code defaultRetention} unless they say. */
  QueueReader(Duration defaultRetention) {
    this.defaultRetention = defaultRetention;
  }

  /**
   * The environment variables that the queues read so far hold secrets in: those of webhook URLs
   * with credentials ({@code https://user:pass@host/}, {@code ?token=...}).
   */
  Set<String> secretEnv() {
    return Collections.unmodifiableSet(secretEnv);
  }

  /** Whether {@code name} is a valid queue (or supervisor) name. */
  static boolean validName(String name) {
    return NAME.matcher(name).matches();
  }

  /** The rule for names, for error messages. */
  static String nameRule() {
    return "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";
  }

  /** The queue {@code name} described by {@code q}, found in {@code file}. */
  QueueConfig read(String name, ConfigNode q, Path file) {
    if (!q.isSet()) {
      throw q.error("is empty; a queue needs at least a handler, e.g. {handler: exec}");
    }
    q.allowOnly(KEYS);
    String handler = pick(q, "handler").requireText("the name of the handler that runs the"
        + " queue's tasks (Yao: process), e.g. exec, http, git-sync or a Java class name");
    int workers = pick(q, "workers").integer(1, MAX_WORKERS).orElse(WORKERS);
    int capacity = pick(q, "capacity").integer(1, Integer.MAX_VALUE).orElse(CAPACITY);
    // At most this many of the queue's tasks run at once on every node of the store together.
    Integer concurrency = q.get("concurrency").integer(1, Integer.MAX_VALUE).orElse(null);
    // Yao gives the time-out in seconds; a bare number keeps meaning that here.
    Duration timeout = q.get("timeout").duration(ChronoUnit.SECONDS, false).orElse(null);
    int attempts = q.get("attempts").integer(1, Integer.MAX_VALUE).orElse(ATTEMPTS);
    Backoff backoff = backoff(q);
    Duration cancelGrace = q.get("cancel_grace").duration(null, false).orElse(CANCEL_GRACE);
    Duration retention = q.get("retention").duration(null, false).orElse(defaultRetention);
    QueueSpec.Threads threads =
        q.get("threads").choice(QueueSpec.Threads.class).orElse(QueueSpec.Threads.VIRTUAL);
    ConfigNode eventsNode = pick(q, "events");
    boolean yaoEvents = eventsNode.path().equals(q.pathOf("event"));
    Map<String, String> events = events(eventsNode, yaoEvents);
    String next = next(q, yaoEvents ? eventsNode.get("next") : null);
    String label = pick(q, "label").text().map(String::strip).filter(s -> !s.isEmpty())
        .orElse(null);
    ConfigNode handlerNode = pick(q, "handler");
    String handlerKey = handlerNode.path().substring(handlerNode.path().lastIndexOf('.') + 1);
    return new QueueConfig(name, q.path(), handler.strip(), q.get("options").raw(), workers,
        capacity, timeout, attempts, backoff, cancelGrace, retention, threads, events, next,
        label, file, handlerKey, yaoEvents ? "event" : "events", concurrency, QueueFlow.read(q));
  }

  /**
   * The node of Errand key {@code key}, or of its Yao name when that is the one given. Both at
   * once would leave one of them silently ignored, so that is an error.
   */
  private static ConfigNode pick(ConfigNode q, String key) {
    ConfigNode errand = q.get(key);
    String yaoKey = YAO_NAMES.get(key);
    if (yaoKey == null) {
      return errand;
    }
    ConfigNode yao = q.get(yaoKey);
    if (errand.isSet() && yao.isSet()) {
      throw yao.error("is Yao's name for '" + key + "', which is set too; keep one of them");
    }
    return yao.isSet() ? yao : errand;
  }

  private static Backoff backoff(ConfigNode q) {
    ConfigNode retry = pick(q, "retry_after");
    ConfigNode block = q.get("backoff");
    if (retry.isSet() && block.isSet()) {
      String name = retry.path().substring(retry.path().lastIndexOf('.') + 1);
      throw block.error("cannot be given with " + name + ", which is a fixed backoff already;"
          + " keep one of them");
    }
    if (retry.isSet()) {
      boolean yao = retry.path().equals(q.pathOf("attempt_after"));
      // Yao counts attempt_after in milliseconds; Errand's retry_after needs a unit.
      return Backoff.fixed(retry.duration(yao ? ChronoUnit.MILLIS : null, true).orElseThrow());
    }
    return BackoffReader.read(block, BACKOFF);
  }

  private Map<String, String> events(ConfigNode ev, boolean yao) {
    ev.allowOnly(yao ? YAO_EVENTS : EVENTS);
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : ev.keys()) {
      if (!k.equals("next") && ev.get(k).isSet()) {
        String target = ev.get(k).requireText("a webhook URL or the name of a handler").strip();
        if (!Redaction.url(target).equals(target)) { // a URL with credentials
          secretEnv.addAll(SubstitutedText.variablesIn(ev.get(k).raw()));
        }
        out.put(k, target);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Errand's {@code next}, or Yao's {@code event.next} ({@code yao}, null if not Yao's). */
  private static String next(ConfigNode q, ConfigNode yao) {
    ConfigNode errand = q.get("next");
    if (yao != null && yao.isSet()) {
      if (errand.isSet()) {
        throw yao.error("is Yao's name for 'next', which is set too; keep one of them");
      }
      return yao.requireText("the name of a handler that returns task ids").strip();
    }
    return errand.isSet() ? errand.requireText("the name of a handler that returns task ids")
        .strip() : null;
  }
}
