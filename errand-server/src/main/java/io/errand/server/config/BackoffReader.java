package io.errand.server.config;

import io.errand.api.Backoff;
import io.errand.api.DurationText;
import java.time.Duration;
import java.util.List;

/**
 * Reads a {@code backoff: {type, delay, max, jitter}} block, used by queues (the wait before a
 * retry) and supervisors' {@code restart} (the wait before a restart). Keys left out keep the
 * caller's default, so {@code backoff: {delay: 2s}} changes only the delay.
 */
final class BackoffReader {
  static final List<String> KEYS = List.of("type", "delay", "max", "jitter");

  private static final Duration DELAY = Duration.ofSeconds(1);
  private static final Duration MAX = Duration.ofMinutes(1);
  private static final double JITTER = 0.2;

  /** The forms of {@link Backoff}, as the {@code type} key names them. */
  enum Type { FIXED, EXPONENTIAL }

  private BackoffReader() {}

  /**
   * The backoff {@code n} describes, or {@code dflt} when it is unset. Its {@code type} defaults
   * to that of {@code dflt}.
   */
  static Backoff read(ConfigNode n, Backoff dflt) {
    if (!n.isSet()) {
      return dflt;
    }
    ConfigNode multiplier = n.get("multiplier");
    if (multiplier.isSet()) {
      // Backoff.Exponential always doubles; a multiplier that was silently dropped would make
      // the retries run at other times than the file says.
      throw multiplier.error("is not supported: an exponential backoff doubles the delay"
          + " before each retry, up to max; remove it");
    }
    n.allowOnly(KEYS);
    Type type = n.get("type").choice(Type.class)
        .orElse(dflt instanceof Backoff.Exponential ? Type.EXPONENTIAL : Type.FIXED);
    return type == Type.FIXED ? fixed(n, dflt) : exponential(n, dflt);
  }

  private static Backoff fixed(ConfigNode n, Backoff dflt) {
    for (String key : List.of("max", "jitter")) {
      if (n.get(key).isSet()) {
        throw n.get(key).error("only applies to type: exponential; set that type or remove it");
      }
    }
    Duration delay = n.get("delay").duration(null, true)
        .orElse(dflt instanceof Backoff.Fixed f ? f.delay() : DELAY);
    return Backoff.fixed(delay);
  }

  private static Backoff exponential(ConfigNode n, Backoff dflt) {
    Backoff.Exponential base = dflt instanceof Backoff.Exponential e ? e : null;
    Duration delay = n.get("delay").duration(null, false)
        .orElse(base == null ? DELAY : base.initial());
    Duration defaultMax = base == null ? MAX : base.max();
    Duration max = n.get("max").duration(null, false)
        .orElse(defaultMax.compareTo(delay) < 0 ? delay : defaultMax);
    if (max.compareTo(delay) < 0) {
      throw n.get("max").error("must be at least delay (" + DurationText.format(delay) + "), was "
          + DurationText.format(max));
    }
    double jitter = n.get("jitter").decimal(0, 1).orElse(base == null ? JITTER : base.jitter());
    return Backoff.exponential(delay, max, jitter);
  }
}
