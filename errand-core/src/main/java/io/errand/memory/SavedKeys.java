package io.errand.memory;

import io.errand.spi.StoredKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The supervisors' saved keys, per supervisor, in memory like everything else here. */
final class SavedKeys {
  private final ConcurrentHashMap<String, Map<String, StoredKey>> bySupervisor =
      new ConcurrentHashMap<>();

  void save(StoredKey key) {
    bySupervisor.computeIfAbsent(key.supervisor(), s -> new ConcurrentHashMap<>())
        .put(key.key(), key);
  }

  void remove(String supervisor, String key) {
    Map<String, StoredKey> of = bySupervisor.get(supervisor);
    if (of != null) {
      of.remove(key);
    }
  }

  List<StoredKey> of(String supervisor) {
    Map<String, StoredKey> of = bySupervisor.get(supervisor);
    return of == null ? List.of() : List.copyOf(of.values());
  }
}
