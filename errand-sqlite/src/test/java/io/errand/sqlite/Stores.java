package io.errand.sqlite;

import io.errand.api.ManualClock;
import io.errand.spi.StoreContext;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.NewTasks;
import io.errand.spi.contract.Point;
import io.errand.spi.contract.RecordingSignals;
import java.nio.file.Path;
import java.util.Map;

/** Opening SQLite stores the way the engine does, for the module's own tests. */
final class Stores {
  static final String POINTS = "points";
  static final String NODE = "node-a";

  final ManualClock clock = new ManualClock(NewTasks.T0);
  final RecordingSignals signals = new RecordingSignals();

  /** {@code store} opened with this clock and signals, a codec reading POINTS as Points. */
  SqliteStore open(SqliteStore store) {
    store.open(new StoreContext(clock, signals, new JsonTestCodec(Map.of(POINTS, Point.class)),
        NODE));
    return store;
  }

  SqliteStore open(Path file) {
    return open(SqliteStore.at(file));
  }
}
