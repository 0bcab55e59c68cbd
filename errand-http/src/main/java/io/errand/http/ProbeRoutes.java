package io.errand.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.Errand;
import io.errand.api.TaskQuery;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probes of an orchestrator or load balancer, outside {@code /api} and so without the
 * token: {@code /livez} (the process answers HTTP) and {@code /readyz} (it should get traffic:
 * not draining, and its store answers a read). Neither shows anything an anonymous caller
 * should not see: no store error text, no names, no counts. The reason a store failed is
 * logged, and {@code /api/health} (behind the token) shows it.
 *
 * <p>The store read runs on its own virtual thread and the probe waits for it at most
 * {@link #STORE_WAIT}: a store whose pool waits seconds for a connection must not hold the
 * probe past its own time-out. Probes that come while a read is still out share that read, so
 * a hanging store never piles up reads.
 */
final class ProbeRoutes {
  /** How long {@code /readyz} waits for the store to answer before calling it unavailable. */
  static final Duration STORE_WAIT = Duration.ofSeconds(2);
  private static final Logger log = LoggerFactory.getLogger(ProbeRoutes.class);

  private final Errand errand;
  private final JsonBodies json;
  private final Views views;
  private final Object lock = new Object();
  private CompletableFuture<Void> read; // guarded by lock: the store read out now, or the last
  private boolean storeFailed; // guarded by lock: the last probe found the store failing

  ProbeRoutes(Errand errand, JsonBodies json, Views views) {
    this.errand = errand;
    this.json = json;
    this.views = views;
  }

  void register(RoutesConfig app) {
    app.get("/livez", this::live);
    app.get("/readyz", this::ready);
  }

  /** 200 whenever the server can answer at all: a restart would not help anything else. */
  private void live(Context ctx) {
    Params.only(ctx, List.of());
    noStore(ctx);
    json.write(ctx, 200, views.object().put("live", true));
  }

  /** 200 when Errand takes tasks and its store answers; 503 with the reason otherwise. */
  private void ready(Context ctx) {
    Params.only(ctx, List.of());
    noStore(ctx);
    if (errand.isShuttingDown()) {
      notReady(ctx, "shutting_down", "Errand is draining to stop: it takes no new tasks");
      return;
    }
    String storeProblem = storeProblem();
    if (storeProblem != null) {
      notReady(ctx, "store_unavailable", storeProblem);
      return;
    }
    json.write(ctx, 200, views.object().put("ready", true));
  }

  private void notReady(Context ctx, String reason, String message) {
    ObjectNode n = views.object().put("ready", false).put("reason", reason)
        .put("message", message);
    json.write(ctx, 503, n);
  }

  /** Null when the store answered a read in time, else why not, in words without details. */
  private String storeProblem() {
    CompletableFuture<Void> out;
    synchronized (lock) {
      if (read == null || read.isDone()) {
        read = CompletableFuture.runAsync(() -> errand.list(TaskQuery.newest(1)),
            command -> Thread.ofVirtual().name("errand-readyz").start(command));
      }
      out = read;
    }
    try {
      out.get(STORE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      recovered();
      return null;
    } catch (TimeoutException e) {
      String why = "the task store did not answer a read within " + STORE_WAIT.toSeconds() + " s";
      failed(why);
      return why;
    } catch (ExecutionException e) {
      failed("the task store failed a read: "
          + JsonBodies.abbreviate(String.valueOf(e.getCause()), 300));
      return "the task store failed a read; the server log and /api/health say why";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "the probe was interrupted while the task store read";
    }
  }

  /** Logs {@code why} when the store was fine until now: once per outage, not per probe. */
  private void failed(String why) {
    boolean first;
    synchronized (lock) {
      first = !storeFailed;
      storeFailed = true;
    }
    if (first) {
      log.warn("not ready: {}", why);
    }
  }

  private void recovered() {
    boolean was;
    synchronized (lock) {
      was = storeFailed;
      storeFailed = false;
    }
    if (was) {
      log.info("ready again: the task store answers");
    }
  }

  private static void noStore(Context ctx) {
    ctx.header("Cache-Control", "no-store");
  }
}
