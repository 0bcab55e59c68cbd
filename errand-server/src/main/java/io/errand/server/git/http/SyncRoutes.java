package io.errand.server.git.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.BatchRef;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;

import io.errand.common.Suggestions;
import io.errand.http.ApiException;
import io.errand.http.ApiRequest;
import io.errand.http.ApiRoutes;
import io.errand.http.Body;
import io.errand.http.RouteKit;
import io.errand.http.SafeArgs;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Seed 000's named sync targets ("users", from the config's {@code users:} section) and
 * syncing them by name: {@code /api/users/...}. A user is a queue and the arguments of its
 * task; a request may override the two flags of git-sync's rules ({@code sync},
 * {@code force_clean}) for this one run. The git-sync plugin adds them to the server through
 * {@link ApiRoutes}; the generic API does not know them.
 */
public final class SyncRoutes {
  private static final List<String> FLAGS = List.of("sync", "force_clean");
  private static final List<String> ONE_FIELDS = List.of("sync", "force_clean", "priority");
  private static final List<String> MANY_FIELDS = List.of("users", "sync", "force_clean",
      "priority");
  private static final String ONE_EXAMPLE = "{\"force_clean\": true}";
  private static final String MANY_EXAMPLE = "{\"users\": [\"alice\", \"bob\"]}";

  private final Errand errand;
  private final ObjectMapper mapper;
  private final Map<String, SyncUser> users;

  private SyncRoutes(Errand errand, ObjectMapper mapper, Map<String, SyncUser> users) {
    this.errand = errand;
    this.mapper = mapper;
    this.users = users;
  }

  /** The routes of {@code users}, by name, in the order to list them. */
  public static ApiRoutes of(Map<String, SyncUser> users) {
    Map<String, SyncUser> copy = Collections.unmodifiableMap(new LinkedHashMap<>(users));
    return kit -> new SyncRoutes(kit.errand(), kit.mapper(), copy).register(kit);
  }

  private void register(RouteKit kit) {
    kit.get("/api/users", this::list);
    kit.post("/api/users/sync", this::syncMany);
    kit.post("/api/users/{name}/sync", this::syncOne);
  }

  /** Every user in the config's order, with secrets masked ({@link SafeArgs}). */
  private void list(ApiRequest req) {
    req.onlyQuery(List.of());
    ObjectNode n = req.object();
    ArrayNode all = n.putArray("users");
    for (SyncUser u : users.values()) {
      all.addObject().put("name", u.name()).put("queue", u.queue())
          .set("args", SafeArgs.of(u.args()));
    }
    req.reply(200, n);
  }

  /** One task for one user: {@code 201 {id, status, user, queue}}. */
  private void syncOne(ApiRequest req) {
    req.onlyQuery(List.of());
    SyncUser u = user(req.pathParam("name"));
    Body body = req.body(false, ONE_EXAMPLE, ONE_FIELDS);
    int priority = (int) body.optionalLong("priority", Integer.MIN_VALUE, Integer.MAX_VALUE, 0);
    QueueSpec<?, ?> spec = errand.queue(u.queue());
    long id = errand.submit(spec.name(), args(spec, u, body),
        SubmitOptions.prioritized(priority));
    TaskStatus status = errand.get(id).map(TaskInfo::status).orElse(TaskStatus.WAITING);
    req.header("Location", "/api/tasks/" + id);
    ObjectNode n = req.object().put("id", id).put("status", status.name())
        .put("user", u.name()).put("queue", spec.name());
    req.reply(201, n);
  }

  /**
   * One batch for several users, or {@code "all"}: {@code 201 {group, ids, users, queue}}, the
   * ids in the order of {@code users}. A batch lives in one queue, so the users must share one.
   */
  private void syncMany(ApiRequest req) {
    req.onlyQuery(List.of());
    Body body = req.body(true, MANY_EXAMPLE, MANY_FIELDS);
    if (body.has("priority")) {
      // The core adds a batch at one default priority; a silent 0 would mislead the caller.
      throw Body.invalid("field 'priority' cannot be given for a batch: a batch's tasks run at"
          + " priority 0; sync users one at a time (POST /api/users/{name}/sync) to give each"
          + " a priority");
    }
    List<SyncUser> chosen = chosen(body.required("users"));
    String queue = chosen.get(0).queue();
    for (SyncUser u : chosen) {
      if (!u.queue().equals(queue)) {
        throw Body.invalid("users " + chosen.get(0).name() + " (queue " + queue + ") and "
            + u.name() + " (queue " + u.queue() + ") sync through different queues, and a"
            + " batch runs on one queue; sync them in separate requests, one per queue");
      }
    }
    QueueSpec<?, ?> spec = errand.queue(queue);
    List<Object> all = new ArrayList<>(chosen.size());
    chosen.forEach(u -> all.add(args(spec, u, body)));
    BatchRef ref = errand.submitBatch(spec.name(), all);
    req.header("Location", "/api/batches/" + ref.group());
    ObjectNode n = req.object().put("group", ref.group());
    ArrayNode ids = n.putArray("ids");
    ref.ids().forEach(ids::add);
    ArrayNode names = n.putArray("users");
    chosen.forEach(u -> names.add(u.name()));
    n.put("queue", spec.name());
    req.reply(201, n);
  }

  /** The users a batch names: {@code "all"}, or a non-empty array of names (repeats dropped). */
  private List<SyncUser> chosen(JsonNode field) {
    if (field.isTextual() && field.textValue().equals("all")) {
      if (users.isEmpty()) {
        throw Body.invalid("there are no users to sync: the server's config has no 'users:'"
            + " section (see docs/config.md)");
      }
      return List.copyOf(users.values());
    }
    if (!field.isArray() || field.isEmpty()) {
      throw Body.invalid("field 'users' must be a non-empty array of user names or \"all\","
          + " got " + Body.kind(field) + "; e.g. " + MANY_EXAMPLE);
    }
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode name : field) {
      if (!name.isTextual()) {
        throw Body.invalid("field 'users' must hold user names (strings), got "
            + Body.kind(name));
      }
      names.add(name.textValue());
    }
    List<String> unknown = names.stream().filter(n -> !users.containsKey(n)).toList();
    if (!unknown.isEmpty()) {
      throw unknownUsers(unknown);
    }
    return names.stream().map(users::get).toList();
  }

  private SyncUser user(String name) {
    SyncUser u = users.get(name);
    if (u == null) {
      throw unknownUsers(List.of(name));
    }
    return u;
  }

  private ApiException unknownUsers(List<String> names) {
    String hint = names.size() == 1 ? Suggestions.hint(names.get(0), users.keySet()) : "";
    String known = users.isEmpty() ? "the server's config has no 'users:' section"
        : "the users are " + String.join(", ", users.keySet());
    return new ApiException(404, "unknown_user", (names.size() == 1 ? "there is no user '"
        + Body.abbreviate(names.get(0), 64) + "'" + hint
        : "there are no users " + Body.abbreviate(String.join(", ", names), 200))
        + "; " + known);
  }

  /** The user's arguments with this request's flags laid over them, as the queue takes them. */
  private Object args(QueueSpec<?, ?> spec, SyncUser u, Body body) {
    if (!(u.args() instanceof ObjectNode configured)) { // the config reader allows only maps
      throw ApiException.badRequest("invalid_task", "user '" + u.name() + "' has arguments"
          + " that are not a JSON object; fix the users: section of the config");
    }
    ObjectNode args = configured.deepCopy();
    for (String flag : FLAGS) {
      if (body.has(flag)) {
        args.put(flag, body.optionalBoolean(flag));
      }
    }
    try {
      return mapper.treeToValue(args, spec.argsType());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw ApiException.badRequest("invalid_task", "user '" + u.name() + "': queue '"
          + spec.name() + "' takes arguments of type " + spec.argsType().getSimpleName() + ": "
          + Body.abbreviate(e instanceof JsonProcessingException j ? j.getOriginalMessage()
              : e.getMessage(), 200));
    }
  }
}
