package io.errand.server.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.InvalidScheduleException;
import io.errand.api.InvalidSpecException;
import io.errand.api.MissedRunPolicy;
import io.errand.api.OverlapPolicy;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.common.Suggestions;
import io.errand.server.config.ServerConfig.QueueConfig;
import io.errand.server.config.ServerConfig.ScheduleConfig;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads the {@code schedules} block (Errand's own key; Yao has none): named schedules that
 * submit a task to a queue on each occurrence of a spec. Every value is checked here, so a bad
 * cron expression or zone stops start-up with the key and, for a spec, the position in it.
 */
final class ScheduleReader {
  static final List<String> KEYS = List.of("queue", "spec", "zone", "args", "missed", "overlap",
      "jitter", "start", "end");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScheduleReader() {}

  /** The schedules under {@code schedules}, checked against the {@code queues} already read. */
  static Map<String, ScheduleConfig> read(ConfigNode schedules, Map<String, QueueConfig> queues) {
    Map<String, ScheduleConfig> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : schedules.entries().entrySet()) {
      out.put(e.getKey(), read(e.getKey(), e.getValue(), queues));
    }
    return Collections.unmodifiableMap(out);
  }

  private static ScheduleConfig read(String name, ConfigNode s, Map<String, QueueConfig> queues) {
    if (!s.isSet()) {
      throw s.error("is empty; a schedule needs at least a queue and a spec, e.g."
          + " {queue: reports, spec: \"0 2 * * *\"}");
    }
    s.allowOnly(KEYS);
    ConfigNode q = s.get("queue");
    String queue = q.requireText("the name of the queue the schedule submits to").strip();
    if (!queues.containsKey(queue)) {
      throw q.error("names no queue: '" + queue + "'" + Suggestions.hint(queue, queues.keySet())
          + "; the queues are " + String.join(", ", queues.keySet()));
    }
    Schedule.Builder b = Schedule.builder(checkedName(name, s), queue, spec(s));
    ConfigNode missed = s.get("missed");
    missed.text().ifPresent(t -> b.missed(parsed(missed, () -> MissedRunPolicy.parse(t))));
    ConfigNode overlap = s.get("overlap");
    overlap.text().ifPresent(t -> b.overlap(parsed(overlap, () -> OverlapPolicy.parse(t))));
    s.get("jitter").duration(ChronoUnit.SECONDS, true).ifPresent(b::jitter);
    instant(s.get("start")).ifPresent(b::start);
    instant(s.get("end")).ifPresent(b::end);
    ConfigNode args = s.get("args");
    if (args.isSet()) {
      b.args(JSON.convertValue(args.raw(), Object.class));
    }
    try {
      return new ScheduleConfig(name, s.path(), b.build());
    } catch (InvalidSpecException e) {
      throw s.error(e.getMessage());
    }
  }

  private static String checkedName(String name, ConfigNode s) {
    try {
      Schedule.builder(name, "q", ScheduleSpec.parse("@hourly")).build();
      return name;
    } catch (InvalidSpecException e) {
      throw s.error("is not a valid schedule name: " + e.getMessage());
    }
  }

  /** The spec, with the zone applied to a cron expression; errors name the field and column. */
  private static ScheduleSpec spec(ConfigNode s) {
    ConfigNode specNode = s.get("spec");
    String text = specNode.requireText("when it fires: a cron expression (\"0 2 * * *\","
        + " \"@hourly\"), an interval (\"every 15m\") or a one-off (\"at 2026-12-24T18:00:00Z\")");
    ScheduleSpec spec = parsed(specNode, () -> ScheduleSpec.parse(text));
    ConfigNode zone = s.get("zone");
    if (!zone.isSet()) {
      return spec;
    }
    String zoneId = zone.requireText("a time zone such as Europe/Berlin").strip();
    if (!(spec instanceof ScheduleSpec.Cron cron)) {
      throw zone.error("applies to cron specs only; '" + text + "' is not a cron expression");
    }
    if (text.strip().toUpperCase(Locale.ROOT).matches("^(CRON_TZ|TZ)=.*")) {
      throw zone.error("is given twice: the spec names its own zone (" + text.strip()
          + "); keep one of them");
    }
    return parsed(zone, () -> ScheduleSpec.cron(cron.expression(), zoneId));
  }

  private static Optional<Instant> instant(ConfigNode n) {
    return n.text().map(t -> {
      try {
        return Instant.parse(t.strip());
      } catch (DateTimeParseException e) {
        throw n.error("'" + t + "' is not an instant; write it like 2026-01-01T00:00:00Z");
      }
    });
  }

  /** What {@code parse} gives, or a config error at {@code n} carrying its message. */
  private static <T> T parsed(ConfigNode n, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (InvalidScheduleException e) {
      throw n.error(e.getMessage());
    }
  }
}
