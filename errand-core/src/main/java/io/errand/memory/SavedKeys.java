package io.errand.memory;

import io.errand.spi.StoredKey;
import io.errand.spi.SupervisedKeys;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The supervisors' saved keys, per supervisor, in memory like everything else here. */
final class SavedKeys implements SupervisedKeys {
  private final ConcurrentHashMap<String, Map<String, StoredKey>> bySupervisor =
      new ConcurrentHashMap<>();

  @Override
  public void save(StoredKey key) {
    bySupervisor.computeIfAbsent(key.supervisor(), s -> new ConcurrentHashMap<>())
        .put(key.key(), key);
  }

  @Override
  public void remove(String supervisor, String key) {
    Map<String, StoredKey> of = bySupervisor.get(supervisor);
    if (of != null) {
      of.remove(key);
    }
  }

  @Override
  public List<StoredKey> of(String supervisor) {
    Map<String, StoredKey> of = bySupervisor.get(supervisor);
    return of == null ? List.of() : List.copyOf(of.values());
  }
}
