package io.errand.http;

import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.RestartPolicy;
import io.errand.api.SupervisorSpec;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.common.Secret;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A real Errand behind a real API server on a free port. Queue {@code work} runs a handler led
 * by its arguments: {@code {"gate": "g"}} blocks until {@link #open} (or a cancel), {@code
 * {"fail": true}} throws (with {@code "message"} as its message and an IOException of
 * {@code "cause"} as its cause when given), anything else is echoed back; with {@code "steps": n} it reports
 * progress 1 of n before the gate and n of n after it. Queue {@code other} echoes; queue
 * {@code tiny} holds one waiting task at most. Supervisor {@code accounts} runs each key until
 * it is stopped; a key put with {@code {"fail": true}} crashes at its first start (and is left
 * FAILED: the supervisor never restarts by itself), and runs when started again.
 */
public final class Fixture implements AutoCloseable {
  public final Errand errand;
  public final ApiServer server;
  public final Http http;
  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
  private final Set<String> crashed = ConcurrentHashMap.newKeySet();

  public Fixture() {
    this(null, b -> b);
  }

  public Fixture(String token, UnaryOperator<ApiServer.Builder> settings) {
    this(token, settings, null);
  }

  /** As above, the Errand on {@code store} (null for a memory store). */
  public Fixture(String token, UnaryOperator<ApiServer.Builder> settings, TaskStore store) {
    errand = Errand.builder().store(store)
        .queue(QueueSpec.builder("work", Object.class, ctx -> {
          Map<?, ?> a = ctx.args() instanceof Map<?, ?> m ? m : Map.of();
          long steps = a.get("steps") instanceof Number n ? n.longValue() : 0;
          if (steps > 0) {
            ctx.progress(1, steps, "step 1 of " + steps);
          }
          if (a.get("gate") instanceof String g) {
            // No deadline: a test may run long on a loaded machine; close() opens every gate.
            gate(g).await();
          }
          if (steps > 0) {
            ctx.progress(steps, steps, "step " + steps + " of " + steps);
          }
          if (Boolean.TRUE.equals(a.get("fail"))) {
            String message = a.get("message") instanceof String m ? m : "asked to fail";
            throw a.get("cause") instanceof String c
                ? new IllegalStateException(message, new java.io.IOException(c))
                : new IllegalStateException(message);
          }
          return Map.of("echo", ctx.args() == null ? "null" : ctx.args());
        }).workers(4).cancelGrace(Duration.ofSeconds(5)).build())
        .queue(QueueSpec.builder("other", Object.class, ctx -> ctx.args()).build())
        .queue(QueueSpec.builder("tiny", Object.class, ctx -> null).capacity(1).build())
        .supervisor(SupervisorSpec.builder("accounts", Object.class, ctx -> {
          if (ctx.args() instanceof Map<?, ?> a && Boolean.TRUE.equals(a.get("fail"))
              && crashed.add(ctx.key())) {
            throw new IllegalStateException("crashed at its first start");
          }
          CountDownLatch stop = new CountDownLatch(1);
          ctx.onCancel(stop::countDown);
          ctx.progress(0, 0, "serving " + ctx.key());
          stop.await();
        }).restart(RestartPolicy.never()).build())
        .build();
    ApiServer.Builder b = ApiServer.builder(errand).port(0)
        .token(token == null ? null : Secret.of(token));
    server = settings.apply(b).build();
    int port = server.start();
    http = new Http(port, token);
  }

  public CountDownLatch gate(String name) {
    return gates.computeIfAbsent(name, n -> new CountDownLatch(1));
  }

  public void open(String name) {
    gate(name).countDown();
  }

  /** Submits through the API and returns the id. */
  public long submit(String queue, String argsJson) {
    Http.Response r = http.post("/api/queues/" + queue + "/tasks", "{\"args\": " + argsJson + "}");
    if (r.status() != 201) {
      throw new AssertionError("submit failed: " + r);
    }
    return r.json().get("id").asLong();
  }

  public TaskInfo awaitStatus(long id, TaskStatus status) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
        .until(() -> errand.get(id).map(TaskInfo::status).orElse(null) == status);
    return errand.get(id).orElseThrow();
  }

  public TaskInfo awaitFinished(long id) {
    try {
      return errand.await(id).get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("task " + id + " did not finish: " + errand.get(id), e);
    }
  }

  @Override
  public void close() {
    gates.values().forEach(CountDownLatch::countDown);
    server.stop();
    errand.close();
  }
}
