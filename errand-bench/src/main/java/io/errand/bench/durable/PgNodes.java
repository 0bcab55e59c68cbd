package io.errand.bench.durable;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.postgres.PostgresStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Errand nodes of one cluster: each an {@link Errand} on its own {@link PostgresStore} (its own
 * connection pool, listener and row in the store's {@code nodes} table, which is what makes it
 * a node), all on one database. The nodes live in one JVM here; to the database and to each
 * other they are as separate as processes are: they share nothing but the database.
 */
final class PgNodes implements AutoCloseable {
  private final List<Errand> nodes = new ArrayList<>();

  /** A store on {@code target} as a node of the cluster would open it (defaults otherwise). */
  static PostgresStore store(Target.Postgres target) {
    return PostgresStore.builder(target.jdbcUrl()).user(Target.Postgres.USER).build();
  }

  /** Starts node {@code name} with {@code queues} and keeps it for {@link #close}. */
  Errand start(Target.Postgres target, String name, List<QueueSpec<?, ?>> queues) {
    Errand.Builder b = Errand.builder().store(store(target)).node(name);
    queues.forEach(b::queue);
    Errand e = b.build();
    nodes.add(e);
    return e;
  }

  /** The nodes, in the order they started. */
  List<Errand> all() {
    return nodes;
  }

  /** Shuts every node down (in reverse order), giving each 10 s. */
  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).shutdown(Duration.ofSeconds(10));
    }
    nodes.clear();
  }
}
