package io.errand.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.Errand;
import io.errand.api.KeyStatus;
import io.errand.api.Supervisor;
import io.errand.api.UnknownKeyException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Keyed supervisors and their keys: {@code /api/supervisors/...}. */
final class SupervisorRoutes {
  private static final String KEY = "/api/supervisors/{name}/keys/{key}";
  private static final String PUT_EXAMPLE = "{\"args\": {\"account\": \"acme\"}}";

  private final Errand errand;
  private final JsonBodies json;
  private final Views views;

  SupervisorRoutes(Errand errand, JsonBodies json, Views views) {
    this.errand = errand;
    this.json = json;
    this.views = views;
  }

  void register(RoutesConfig app) {
    app.get("/api/supervisors", this::list);
    app.get("/api/supervisors/{name}/keys", this::keys);
    app.get(KEY, ctx -> answer(ctx, status(supervisor(ctx), ctx.pathParam("key"))));
    app.put(KEY, this::put);
    app.delete(KEY, this::remove);
    app.post(KEY + "/pause", ctx -> answer(ctx, supervisor(ctx).pause(ctx.pathParam("key"))));
    app.post(KEY + "/resume", ctx -> answer(ctx, supervisor(ctx).resume(ctx.pathParam("key"))));
    app.post(KEY + "/restart", this::restart);
  }

  /**
   * Stops the key's instance if one is live and starts a new one with the key's own arguments
   * (a FAILED or STOPPED key starts again, its restart budget renewed). The arguments are taken
   * here, not from the caller: the API shows them with URL passwords masked, so a caller could
   * not send them back as they are.
   */
  private void restart(Context ctx) {
    Supervisor s = supervisor(ctx);
    String key = ctx.pathParam("key");
    answer(ctx, s.replace(key, status(s, key).args()));
  }

  /** Each supervisor with its number of keys and how many are in each state. */
  private void list(Context ctx) {
    Params.only(ctx, List.of());
    ObjectNode n = views.object();
    ArrayNode all = n.putArray("supervisors");
    for (String name : errand.supervisors()) {
      List<KeyStatus> keys = errand.supervisor(name).list();
      Map<String, Integer> states = new TreeMap<>();
      keys.forEach(k -> states.merge(k.state().name(), 1, Integer::sum));
      ObjectNode s = all.addObject();
      s.put("name", name);
      s.put("keys", keys.size());
      ObjectNode byState = s.putObject("states");
      states.forEach(byState::put);
    }
    json.write(ctx, 200, n);
  }

  private void keys(Context ctx) {
    Supervisor s = supervisor(ctx);
    ObjectNode n = views.object();
    ArrayNode keys = n.putArray("keys");
    s.list().forEach(k -> keys.add(views.key(k)));
    json.write(ctx, 200, n);
  }

  /**
   * Starts the key, or replaces it when its arguments differ; {@code "restart": true} restarts
   * it even with equal arguments. Answers once the transition is done.
   */
  private void put(Context ctx) {
    Supervisor s = supervisor(ctx);
    Body body = Body.of(json.object(ctx, true, PUT_EXAMPLE), List.of("args", "restart"));
    Object args;
    try {
      args = json.mapper().treeToValue(body.required("args"), Object.class);
    } catch (JsonProcessingException e) {
      throw Body.invalid("field 'args': " + e.getOriginalMessage());
    }
    boolean restart = body.optionalBoolean("restart");
    String key = ctx.pathParam("key");
    answer(ctx, restart ? s.replace(key, args) : s.put(key, args));
  }

  private void remove(Context ctx) {
    Supervisor s = supervisor(ctx);
    String key = ctx.pathParam("key");
    if (!s.remove(key)) {
      throw new UnknownKeyException(s.name(), key);
    }
    ctx.status(204);
  }

  private Supervisor supervisor(Context ctx) {
    Params.only(ctx, List.of());
    return Lookups.supervisor(errand, ctx.pathParam("name"));
  }

  private static KeyStatus status(Supervisor s, String key) {
    return s.status(key).orElseThrow(() -> new UnknownKeyException(s.name(), key));
  }

  private void answer(Context ctx, KeyStatus status) {
    json.write(ctx, 200, views.key(status));
  }
}
