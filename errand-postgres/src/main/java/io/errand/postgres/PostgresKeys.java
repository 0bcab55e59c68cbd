package io.errand.postgres;

import io.errand.spi.StoredKey;
import io.errand.spi.SupervisedKeys;
import java.util.List;
import java.util.function.Supplier;

/** The PostgreSQL store's supervised keys. */
final class PostgresKeys implements SupervisedKeys {
  private final Supplier<Opened> opened;

  PostgresKeys(Supplier<Opened> opened) {
    this.opened = opened;
  }

  @Override
  public void save(StoredKey key) {
    opened.get().saveKey(key);
  }

  @Override
  public void remove(String supervisor, String key) {
    Opened o = opened.get();
    o.db.autocommit(tx -> o.changes.removeKey(tx, supervisor, key));
  }

  @Override
  public List<StoredKey> of(String supervisor) {
    return opened.get().keys(supervisor);
  }
}
