package io.errand.spi;

import java.util.List;

/** The supervised keys a {@link TaskStore} keeps, so that a durable store starts them on boot. */
public interface SupervisedKeys {

  /** Saves (inserts or overwrites) a supervised key. */
  void save(StoredKey key);

  /** Forgets a supervised key; harmless if there is none. */
  void remove(String supervisor, String key);

  /** The saved keys of {@code supervisor}, in no particular order. */
  List<StoredKey> of(String supervisor);
}
