package io.errand.server.config;

import io.errand.api.ConcurrencyKey;
import io.errand.api.DurationText;
import io.errand.api.QueueSpec;
import io.errand.api.RateLimit;
import java.time.Duration;

/**
 * A queue's per-key limits, fairness and rate limits as the config gives them
 * ({@code queues.<q>.concurrency_key}, {@code per_key_concurrency}, {@code rate_limit},
 * {@code per_key_rate_limit}); each null when not given.
 *
 * @param key        where the key value is read, or null
 * @param perKey     the most running tasks per key value, or null
 * @param rate       the most starts of the queue per period, or null
 * @param perKeyRate the most starts per key value and period, or null
 */
public record QueueFlow(ConcurrencyKey key, Integer perKey, RateLimit rate,
    RateLimit perKeyRate) {

  static final String KEY = "concurrency_key";
  static final String PER_KEY = "per_key_concurrency";
  static final String RATE = "rate_limit";
  static final String PER_KEY_RATE = "per_key_rate_limit";

  /** Sets these limits on {@code spec}. */
  public <A, R> QueueSpec.Builder<A, R> applyTo(QueueSpec.Builder<A, R> spec) {
    if (key != null) {
      spec.concurrencyKey(key);
    }
    if (perKey != null) {
      spec.perKeyConcurrency(perKey);
    }
    if (rate != null) {
      spec.rateLimit(rate.starts(), rate.period());
    }
    if (perKeyRate != null) {
      spec.perKeyRateLimit(perKeyRate.starts(), perKeyRate.period());
    }
    return spec;
  }

  /** The flow settings of queue node {@code q}, or null when it gives none. */
  static QueueFlow read(ConfigNode q) {
    ConfigNode keyNode = q.get(KEY);
    ConcurrencyKey key = keyNode.text().map(t -> key(keyNode, t.strip())).orElse(null);
    Integer perKey = q.get(PER_KEY).integer(1, Integer.MAX_VALUE).orElse(null);
    RateLimit rate = rate(q.get(RATE));
    RateLimit perKeyRate = rate(q.get(PER_KEY_RATE));
    if (key == null && perKey != null) {
      throw q.get(PER_KEY).error("needs " + q.pathOf(KEY) + " (the value it counts per), "
          + "was " + perKey + " without it");
    }
    if (key == null && perKeyRate != null) {
      throw q.get(PER_KEY_RATE).error("needs " + q.pathOf(KEY) + " (the value it counts "
          + "per), was " + perKeyRate + " without it");
    }
    return key == null && rate == null ? null : new QueueFlow(key, perKey, rate, perKeyRate);
  }

  private static ConcurrencyKey key(ConfigNode node, String text) {
    if (text.equals("key")) {
      return ConcurrencyKey.submitKey();
    }
    String field = text.startsWith("args.") ? text.substring(5)
        : text.startsWith("args/") ? text.substring(4) : null;
    if (field == null || field.isEmpty() || field.equals("/")) {
      throw node.error("must be 'key' (the submit's key), 'args.<field>' or 'args/<JSON "
          + "pointer>' (a field of the arguments), was '" + text + "'");
    }
    return ConcurrencyKey.argsField(field);
  }

  /** A rate as {@code <starts>/<period>}: 100/1m, 5/1s, 1000/1h. */
  private static RateLimit rate(ConfigNode node) {
    return node.text().map(String::strip).map(t -> {
      int slash = t.indexOf('/');
      String forms = "<starts>/<period> with starts >= 1 and a period of at least 1ms, such as"
          + " 100/1m or 5/1s";
      if (slash < 1 || !t.substring(0, slash).strip().matches("\\d{1,9}")) {
        throw node.error("must be " + forms + ", was '" + t + "'");
      }
      int starts = Integer.parseInt(t.substring(0, slash).strip());
      Duration period;
      try {
        period = DurationText.parse(t.substring(slash + 1).strip());
      } catch (RuntimeException e) {
        throw node.error("must be " + forms + ", was '" + t + "'");
      }
      if (starts < 1 || period.toMillis() < 1) {
        throw node.error("must be " + forms + ", was '" + t + "'");
      }
      return new RateLimit(starts, period);
    }).orElse(null);
  }
}
