package io.errand.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.Cluster;
import io.errand.api.Errand;
import io.errand.api.NodeInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/nodes}: the nodes sharing this server's store, each with its last heartbeat
 * and the tasks running on it; one node (this one) on a store that is not shared.
 */
final class NodeRoutes {
  private final Errand errand;
  private final JsonBodies json;
  private final Views views;

  NodeRoutes(Errand errand, JsonBodies json, Views views) {
    this.errand = errand;
    this.json = json;
    this.views = views;
  }

  void register(RoutesConfig app) {
    app.get("/api/nodes", this::list);
  }

  private void list(Context ctx) {
    Params.only(ctx, List.of());
    ObjectNode n = views.object();
    Cluster cluster = errand.cluster().orElse(null);
    n.put("clustered", cluster != null);
    ArrayNode nodes = n.putArray("nodes");
    if (cluster == null) {
      long running = errand.queues().stream().mapToLong(q -> errand.metrics(q).running()).sum();
      nodes.addObject().putNull("id").put("name", "this node").put("self", true)
          .put("heartbeat_at", Instant.now().toString()).putNull("lease")
          .put("alive", true).put("running", running);
    } else {
      Instant now = Instant.now();
      for (NodeInfo node : cluster.nodes()) {
        nodes.addObject().put("id", node.id()).put("name", node.name())
            .put("self", node.id() == cluster.self())
            .put("started_at", node.startedAt().toString())
            .put("heartbeat_at", node.heartbeatAt().toString())
            .put("lease", Views.duration(node.lease()))
            .put("alive", !node.heartbeatAt().plus(node.lease()).isBefore(now))
            .put("running", node.running());
      }
    }
    json.write(ctx, 200, n);
  }
}
