package io.errand.sqlite;

import io.errand.jdbc.StoredKeyRow;
import io.errand.spi.StoredKey;
import io.errand.spi.SupervisedKeys;
import java.util.List;
import java.util.function.Supplier;

/** The SQLite store's supervised keys. */
final class SqliteKeys implements SupervisedKeys {
  private final Supplier<Opened> opened;

  SqliteKeys(Supplier<Opened> opened) {
    this.opened = opened;
  }

  @Override
  public void save(StoredKey key) {
    Opened o = opened.get();
    String args = o.payloads.keyArgs(key);
    o.writer.call(tx -> {
      o.writes.saveKey(tx, key.supervisor(), key.key(), args, key.paused());
      return null;
    });
  }

  @Override
  public void remove(String supervisor, String key) {
    Opened o = opened.get();
    o.writer.call(tx -> {
      o.writes.removeKey(tx, supervisor, key);
      return null;
    });
  }

  @Override
  public List<StoredKey> of(String supervisor) {
    Opened o = opened.get();
    return StoredKeyRow.toKeys(supervisor, o.reads.keys(supervisor), o.payloads.codec());
  }
}
