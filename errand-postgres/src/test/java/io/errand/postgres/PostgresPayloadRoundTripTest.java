package io.errand.postgres;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.PayloadRoundTripContract;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL store against the payload round-trip contract, each Errand in a fresh schema. */
class PostgresPayloadRoundTripTest extends PayloadRoundTripContract {
  private final TestDatabase db = TestDatabase.get();
  private final List<String> schemas = new CopyOnWriteArrayList<>();

  @Override
  protected TaskStore newStore() {
    String schema = db.freshSchema();
    schemas.add(schema);
    return PostgresStore.builder(db.url()).schema(schema).poolSize(4).build();
  }

  @AfterEach
  void dropSchemas() {
    closeErrands(); // the stores before their schemas
    schemas.forEach(db::drop);
  }
}
