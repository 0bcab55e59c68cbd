package io.errand.spi;

import java.util.Objects;

/**
 * A supervised key as a store keeps it, so that a durable store starts it again on boot.
 *
 * @param supervisor its supervisor
 * @param key        the key
 * @param args       its arguments (the memory store keeps the object; others encode it)
 * @param paused     whether it is paused (then it is not started on boot)
 */
public record StoredKey(String supervisor, String key, Object args, boolean paused) {
  public StoredKey {
    Objects.requireNonNull(supervisor, "supervisor");
    Objects.requireNonNull(key, "key");
  }
}
