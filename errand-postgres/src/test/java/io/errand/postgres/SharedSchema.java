package io.errand.postgres;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One schema for all the tests of a class, registered as a static extension
 * ({@code @RegisterExtension static final SharedSchema SCHEMA = new SharedSchema();}): the first
 * store made on it migrates it, after each test it is emptied ({@link TestDatabase#empty}) once
 * the test's own {@code @AfterEach} closed its stores, and after the class it is dropped. For
 * classes whose tests each need an empty store, not a schema of their own (the contract suites):
 * a migration per test was most of their time.
 */
final class SharedSchema implements AfterEachCallback, AfterAllCallback {
  private final TestDatabase db = TestDatabase.get();
  private final String name = db.freshSchema();

  /** A store on the shared schema, to be opened by the test and closed by it. */
  PostgresStore.Builder store() {
    return PostgresStore.builder(db.url()).schema(name);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    db.empty(name);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    db.drop(name);
  }
}
