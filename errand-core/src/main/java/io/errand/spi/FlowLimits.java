package io.errand.spi;

import io.errand.api.ConcurrencyKey;
import io.errand.api.QueueSpec;
import io.errand.api.RateLimit;
import java.util.Optional;

/**
 * A queue's limits beyond its global concurrency, as its spec declares them, for
 * {@link QueueControls#limitFlow}: the concurrency key (null: none), the most running tasks per
 * key value (0: no limit), and the rate limits per queue and per key value (null: none).
 *
 * @param key        where each task's key value is read, or null
 * @param perKey     the most running tasks of one key value, or 0
 * @param rate       the most starts of the queue's tasks per period, or null
 * @param perKeyRate the most starts of one key value's tasks per period, or null
 */
public record FlowLimits(ConcurrencyKey key, int perKey, RateLimit rate, RateLimit perKeyRate) {

  /** The limits {@code spec} declares, or empty when it declares none of them. */
  public static Optional<FlowLimits> of(QueueSpec<?, ?> spec) {
    if (spec.concurrencyKey().isEmpty() && spec.rateLimit().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new FlowLimits(spec.concurrencyKey().orElse(null),
        spec.perKeyConcurrency().orElse(0), spec.rateLimit().orElse(null),
        spec.perKeyRateLimit().orElse(null)));
  }

  /** Whether claims turn over key values (there is a key). */
  public boolean keyed() {
    return key != null;
  }
}
