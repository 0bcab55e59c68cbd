package io.errand.postgres;

import io.errand.api.Errand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that run two Errand nodes, {@code node-a} and {@code node-b}, on one fresh
 * PostgreSQL schema: each test gets a new schema and two nodes built by {@link #node}; after it,
 * both nodes are closed and the schema dropped.
 */
abstract class TwoErrandNodes {
  final TestDatabase db = TestDatabase.get();
  String schema;
  Errand a;
  Errand b;

  /** An Errand node named {@code name} on {@link #schema}, with the test's queues. */
  abstract Errand node(String name);

  @BeforeEach
  void startNodes() {
    schema = db.freshSchema();
    a = node("node-a");
    b = node("node-b");
  }

  @AfterEach
  void stopNodes() {
    a.close();
    b.close();
    db.drop(schema);
  }
}
