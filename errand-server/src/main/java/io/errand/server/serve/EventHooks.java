package io.errand.server.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.Cluster;
import io.errand.api.EventListener;
import io.errand.api.EventType;
import io.errand.api.TaskEvent;
import io.errand.api.TaskHandler;
import io.errand.common.Redaction;
import io.errand.common.SettingException;
import io.errand.common.UrlPasswords;
import io.errand.server.config.ConfigException;
import io.errand.server.config.ServerConfig.QueueConfig;
import io.errand.server.handler.HandlerSettings;
import io.errand.server.handler.SecretEnv;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The queues' event hooks (Yao's {@code event.add/success/error/progress}): each names a
 * webhook URL, or a handler that is called with the event as its arguments. {@code add} fires
 * on ADDED, {@code success} on SUCCEEDED, {@code error} on every failed attempt (RETRYING and
 * FAILED), {@code progress} on PROGRESS. Delivery is asynchronous; a queue's events reach each
 * target in the order they happened. In a cluster ({@link #shareWith}) each event fires once
 * for all nodes, and its {@code seq} is the cluster's event number.
 */
final class EventHooks implements EventListener, AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(
      EventHooks.class);
  static final Map<String, Set<EventType>> KINDS = Map.of(
      "add", EnumSet.of(EventType.ADDED),
      "success", EnumSet.of(EventType.SUCCEEDED),
      "error", EnumSet.of(EventType.RETRYING, EventType.FAILED),
      "progress", EnumSet.of(EventType.PROGRESS));
  private static final int OUTBOX_CAPACITY = 10_000;

  private final Map<String, Map<EventType, List<HookOutbox>>> routes;
  private final List<HookOutbox> outboxes;
  private final AtomicLong seq = new AtomicLong();
  /** The cluster whose nodes share the hooks' deliveries; null on one node. */
  private volatile Cluster cluster;

  private EventHooks(Map<String, Map<EventType, List<HookOutbox>>> routes,
      List<HookOutbox> outboxes) {
    this.routes = routes;
    this.outboxes = outboxes;
  }

  /**
   * The hooks of {@code queues}, their targets checked and started.
   *
   * @throws SettingException naming an event kind that does not exist or a target that is
   *     neither an http(s) URL nor a known handler (or bound process); a ConfigException naming
   *     the task file when the queue came from one
   */
  static EventHooks start(Iterable<QueueConfig> queues, HandlerRegistry registry, Path dataDir,
      SecretEnv secretEnv, ObjectMapper json) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Map<String, Map<EventType, List<HookOutbox>>> routes = new HashMap<>();
    Map<String, HookOutbox> byTarget = new LinkedHashMap<>(); // one target, one order
    for (QueueConfig q : queues) {
      try {
        route(q, routes, byTarget, registry, dataDir, secretEnv, client, json);
      } catch (SettingException e) { // a queue of a task file: name that file
        throw q.file() != null ? new ConfigException(q.file(), e) : e;
      }
    }
    return new EventHooks(routes, List.copyOf(byTarget.values()));
  }

  private static void route(QueueConfig q, Map<String, Map<EventType, List<HookOutbox>>> routes,
      Map<String, HookOutbox> byTarget, HandlerRegistry registry, Path dataDir,
      SecretEnv secretEnv, HttpClient client, ObjectMapper json) {
    for (Map.Entry<String, String> e : q.events().entrySet()) {
      String at = q.eventPath(e.getKey());
      Set<EventType> types = KINDS.get(e.getKey());
      if (types == null) {
        throw new SettingException(at, "unknown event; the events are add, success, error"
            + " and progress (next names the id generator)");
      }
      HookOutbox box = byTarget.get(q.name() + " " + e.getValue());
      if (box == null) {
        box = outbox(q.name(), e.getValue(), at, registry, dataDir, secretEnv, client, json);
        byTarget.put(q.name() + " " + e.getValue(), box);
      }
      for (EventType t : types) {
        routes.computeIfAbsent(q.name(), k -> new HashMap<>())
            .computeIfAbsent(t, k -> new ArrayList<>()).add(box);
      }
    }
  }

  private static HookOutbox outbox(String queue, String name, String at,
      HandlerRegistry registry, Path dataDir, SecretEnv secretEnv, HttpClient client,
      ObjectMapper json) {
    String target = registry.url(name).orElse(name); // a Yao process bound to a webhook
    if (target.startsWith("http://") || target.startsWith("https://")) {
      URI url;
      try {
        url = URI.create(target);
      } catch (IllegalArgumentException ex) {
        throw new SettingException(at, "is not a valid URL: " + Redaction.url(target));
      }
      Webhook hook = new Webhook(url, client, json);
      return new HookOutbox(hook.shown(), OUTBOX_CAPACITY, hook::deliver);
    }
    TaskHandler<Object, Object> handler = registry.create(target, at,
        new HandlerSettings(queue, at, null, dataDir, secretEnv));
    return new HookOutbox(target, OUTBOX_CAPACITY, event -> {
      try {
        handler.run(new HookContext((Long) event.get("task_id"), queue, event));
      } catch (RuntimeException ex) {
        throw ex;
      } catch (Exception ex) {
        throw new IllegalStateException(ex.getMessage(), ex);
      }
    });
  }

  /**
   * Makes the hooks fire once for the whole cluster: each logged event is delivered by the
   * one node that claims it ({@link Cluster#claimDelivery}), whichever node made it.
   */
  void shareWith(Cluster cluster) {
    this.cluster = cluster;
  }

  /** Whether any queue has a hook. */
  boolean isEmpty() {
    return outboxes.isEmpty();
  }

  @Override
  public void onEvent(TaskEvent e) {
    Map<EventType, List<HookOutbox>> byType = routes.get(e.queue());
    List<HookOutbox> targets = byType == null ? null : byType.get(e.type());
    if (targets == null) {
      return;
    }
    Cluster c = cluster;
    if (c != null && e.seq() > 0 && !claimed(c, e)) {
      return; // another node delivers it
    }
    Map<String, Object> payload = payload(UrlPasswords.mask(e),
        e.seq() > 0 ? e.seq() : seq.incrementAndGet());
    for (HookOutbox box : targets) {
      box.offer(payload);
    }
  }

  private static boolean claimed(Cluster c, TaskEvent e) {
    try {
      return c.claimDelivery(e.seq());
    } catch (RuntimeException ex) { // the store is down: delivering twice beats never
      log.warn("could not claim the delivery of event {} ({}); delivering it from this node",
          e.seq(), ex.getMessage());
      return true;
    }
  }

  static Map<String, Object> payload(TaskEvent e, long seq) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", kindOf(e.type()));
    m.put("type", e.type().name());
    m.put("seq", seq);
    m.put("task_id", e.taskId());
    m.put("queue", e.queue());
    m.put("status", e.status() == null ? null : e.status().name());
    m.put("attempt", e.attempt());
    m.put("current", e.current());
    m.put("total", e.total());
    m.put("message", e.message());
    m.put("at", e.at().toString());
    if (e.key() != null) {
      m.put("key", e.key());
    }
    return m;
  }

  private static String kindOf(EventType type) {
    return KINDS.entrySet().stream().filter(k -> k.getValue().contains(type))
        .map(Map.Entry::getKey).findFirst().orElse(type.name().toLowerCase());
  }

  /** Delivers what is queued, for up to {@code wait} in all, then stops every target. */
  void close(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    for (HookOutbox box : outboxes) {
      long left = Math.max(0, deadline - System.nanoTime());
      box.close(Duration.ofNanos(Math.max(left, 1_000_000)));
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
