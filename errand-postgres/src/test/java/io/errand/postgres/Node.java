package io.errand.postgres;

import io.errand.spi.StoreContext;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.Point;
import io.errand.spi.contract.RecordingSignals;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;

/**
 * One "node" of a test cluster: an open {@link PostgresStore} on a shared schema, with the
 * signals it raised. Queue {@code points} takes {@link Point} arguments.
 */
final class Node implements AutoCloseable {
  final PostgresStore store;
  final RecordingSignals signals = new RecordingSignals();
  final String name;

  private Node(PostgresStore store, String name) {
    this.store = store;
    this.name = name;
    store.open(new StoreContext(InstantSource.system(), signals,
        new JsonTestCodec(Map.of("points", Point.class)), name));
  }

  /** A node on {@code schema} with the store's default heartbeat and lease. */
  static Node open(TestDatabase db, String schema, String name) {
    return new Node(PostgresStore.builder(db.url()).schema(schema).poolSize(4).build(), name);
  }

  /** A node on {@code schema} beating every {@code heartbeat}, dead after {@code lease}. */
  static Node open(TestDatabase db, String schema, String name, Duration heartbeat,
      Duration lease) {
    return new Node(PostgresStore.builder(db.url()).schema(schema).poolSize(4)
        .heartbeat(heartbeat).lease(lease).build(), name);
  }

  @Override
  public void close() {
    store.close();
  }
}
