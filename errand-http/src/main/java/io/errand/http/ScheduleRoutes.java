package io.errand.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.Errand;
import io.errand.api.InvalidSpecException;
import io.errand.api.MissedRunPolicy;
import io.errand.api.OverlapPolicy;
import io.errand.api.Schedule;
import io.errand.api.ScheduleInfo;
import io.errand.api.ScheduleSpec;
import io.errand.api.Schedules;
import io.errand.api.UnknownScheduleException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;

/** Schedules: {@code /api/schedules/...} (docs/api.md, docs/schedules.md). */
final class ScheduleRoutes {
  /** How many next occurrences a schedule's view shows. */
  static final int SHOWN_NEXT = 3;
  private static final String ONE = "/api/schedules/{name}";
  private static final List<String> FIELDS = List.of("queue", "spec", "zone", "args", "missed",
      "overlap", "jitter", "start", "end");
  private static final String PUT_EXAMPLE = "{\"queue\": \"reports\", \"spec\": \"0 2 * * *\"}";

  private final Errand errand;
  private final JsonBodies json;
  private final Views views;

  ScheduleRoutes(Errand errand, JsonBodies json, Views views) {
    this.errand = errand;
    this.json = json;
    this.views = views;
  }

  void register(RoutesConfig app) {
    app.get("/api/schedules", this::list);
    app.get(ONE, ctx -> json.write(ctx, 200, view(info(ctx))));
    app.put(ONE, this::put);
    app.delete(ONE, this::delete);
    app.post(ONE + "/pause", ctx -> {
      schedules(ctx).pause(ctx.pathParam("name"));
      json.write(ctx, 200, view(info(ctx)));
    });
    app.post(ONE + "/resume", ctx -> {
      schedules(ctx).resume(ctx.pathParam("name"));
      json.write(ctx, 200, view(info(ctx)));
    });
    app.post(ONE + "/run-now", ctx -> {
      long id = schedules(ctx).runNow(ctx.pathParam("name"));
      json.write(ctx, 202, views.object().put("task_id", id));
    });
    app.get(ONE + "/next", this::next);
  }

  private void list(Context ctx) {
    Schedules s = schedules(ctx);
    ObjectNode n = views.object();
    ArrayNode all = n.putArray("schedules");
    s.list().forEach(info -> all.add(view(info)));
    json.write(ctx, 200, n);
  }

  /** Creates the schedule (201), or replaces the definition of the one of that name (200). */
  private void put(Context ctx) {
    Schedules s = schedules(ctx);
    String name = ctx.pathParam("name");
    Schedule schedule = read(name, Body.of(json.object(ctx, true, PUT_EXAMPLE), FIELDS));
    boolean exists = s.get(name).isPresent();
    ScheduleInfo info = exists ? s.update(schedule) : s.create(schedule);
    json.write(ctx, exists ? 200 : 201, view(info));
  }

  private void delete(Context ctx) {
    String name = ctx.pathParam("name");
    if (!schedules(ctx).delete(name)) {
      throw new UnknownScheduleException(name);
    }
    ctx.status(204);
  }

  private void next(Context ctx) {
    Params.only(ctx, List.of("n"));
    int n = (int) Params.queryLong(ctx, "n", 1, 1000, 10);
    Schedules s = errand.schedules();
    ArrayNode times = views.array();
    s.next(ctx.pathParam("name"), n).forEach(t -> times.add(Views.time(t)));
    ObjectNode out = views.object();
    out.put("schedule", ctx.pathParam("name"));
    out.set("next", times);
    json.write(ctx, 200, out);
  }

  private ObjectNode view(ScheduleInfo info) {
    return views.schedule(info, errand.schedules().next(info.name(), SHOWN_NEXT));
  }

  private ScheduleInfo info(Context ctx) {
    String name = ctx.pathParam("name");
    return schedules(ctx).get(name).orElseThrow(() -> new UnknownScheduleException(name));
  }

  private Schedules schedules(Context ctx) {
    Params.only(ctx, List.of());
    return errand.schedules();
  }

  /** The schedule a PUT body defines; every bad field is a 400 naming it. */
  private Schedule read(String name, Body body) {
    String queue = body.optionalString("queue", 200);
    String specText = body.optionalString("spec", 500);
    if (queue == null || specText == null) {
      throw Body.invalid("fields 'queue' and 'spec' are required, e.g. " + PUT_EXAMPLE);
    }
    ScheduleSpec spec = field("spec", specText, ScheduleSpec::parse);
    String zone = body.optionalString("zone", 100);
    if (zone != null) {
      if (!(spec instanceof ScheduleSpec.Cron cron)) {
        throw Body.invalid("field 'zone' applies to cron specs only; '" + specText
            + "' is not a cron expression");
      }
      spec = field("zone", zone, z -> ScheduleSpec.cron(cron.expression(), z));
    }
    Schedule.Builder b;
    try {
      b = Schedule.builder(name, queue, spec);
    } catch (InvalidSpecException e) {
      throw Body.invalid(e.getMessage());
    }
    String missed = body.optionalString("missed", 100);
    if (missed != null) {
      b.missed(field("missed", missed, MissedRunPolicy::parse));
    }
    String overlap = body.optionalString("overlap", 100);
    if (overlap != null) {
      b.overlap(field("overlap", overlap, OverlapPolicy::parse));
    }
    String jitter = body.optionalString("jitter", 100);
    if (jitter != null) {
      b.jitter(field("jitter", jitter, ScheduleRoutes::duration));
    }
    b.start(instant(body, "start")).end(instant(body, "end"));
    if (body.has("args")) {
      JsonNode args = body.required("args");
      try {
        b.args(args.isNull() ? null : json.mapper().treeToValue(args, Object.class));
      } catch (JsonProcessingException e) {
        throw Body.invalid("field 'args': " + e.getOriginalMessage());
      }
    }
    try {
      return b.build();
    } catch (InvalidSpecException e) {
      throw Body.invalid(e.getMessage());
    }
  }

  /** A jitter: 0, an interval's period (30s, 15m, 1h30m) or ISO-8601 (PT30S). */
  private static Duration duration(String text) {
    String t = text.strip();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    try {
      return Duration.parse(t);
    } catch (DateTimeParseException e) {
      return ((ScheduleSpec.Interval) ScheduleSpec.parse("every " + t)).period();
    }
  }

  private static Instant instant(Body body, String field) {
    String text = body.optionalString(field, 100);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw Body.invalid("field '" + field + "': '" + JsonBodies.abbreviate(text, 64)
          + "' is not an instant; write it like 2026-01-01T00:00:00Z");
    }
  }

  /** What {@code parse} reads from {@code text}, or a 400 naming {@code field}. */
  private static <T> T field(String field, String text, Function<String, T> parse) {
    try {
      return parse.apply(text);
    } catch (InvalidSpecException | ClassCastException e) {
      throw Body.invalid("field '" + field + "': " + (e instanceof InvalidSpecException
          ? e.getMessage() : "'" + JsonBodies.abbreviate(text, 64) + "' is not a duration"));
    }
  }
}
