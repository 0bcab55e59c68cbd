package io.errand.jdbc;

import io.errand.spi.PayloadCodec;
import io.errand.spi.StoredKey;
import java.util.ArrayList;
import java.util.List;

/**
 * A supervised key's row as read, its arguments still JSON.
 *
 * @param key    the key
 * @param args   its arguments as JSON
 * @param paused whether it is paused
 */
public record StoredKeyRow(String key, String args, boolean paused) {

  /** The key of {@code supervisor}, its arguments decoded through {@code codec}. */
  public StoredKey toKey(String supervisor, PayloadCodec codec) {
    return new StoredKey(supervisor, key, codec.decodeArgs(supervisor, args), paused);
  }

  /** Every row of {@code rows} as keys of {@code supervisor}. */
  public static List<StoredKey> toKeys(String supervisor, List<StoredKeyRow> rows,
      PayloadCodec codec) {
    List<StoredKey> keys = new ArrayList<>(rows.size());
    for (StoredKeyRow r : rows) {
      keys.add(r.toKey(supervisor, codec));
    }
    return keys;
  }
}
