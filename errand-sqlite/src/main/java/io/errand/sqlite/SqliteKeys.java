package io.errand.sqlite;

import io.errand.spi.StoredKey;
import io.errand.spi.SupervisedKeys;
import java.util.ArrayList;
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
    String args = o.payload(key.args(), "the arguments of key '" + key.key()
        + "' of supervisor '" + key.supervisor() + "'");
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
    List<StoredKey> keys = new ArrayList<>();
    for (Reads.KeyRow k : o.reads.keys(supervisor)) {
      Object args = o.payloads.codec().decodeArgs(supervisor, k.args());
      keys.add(new StoredKey(supervisor, k.key(), args, k.paused()));
    }
    return keys;
  }
}
