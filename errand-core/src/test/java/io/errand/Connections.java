package io.errand;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fake per-key connections that supervised handlers hold while they run: counts how many are
 * open per key now, and the most that ever were at once.
 */
final class Connections {
  private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> peak = new ConcurrentHashMap<>();
  private final AtomicInteger opened = new AtomicInteger();

  void open(String key) {
    int now = open.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    peak.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    opened.incrementAndGet();
  }

  void close(String key) {
    open.get(key).decrementAndGet();
  }

  int openNow(String key) {
    AtomicInteger n = open.get(key);
    return n == null ? 0 : n.get();
  }

  int peak(String key) {
    AtomicInteger n = peak.get(key);
    return n == null ? 0 : n.get();
  }

  int totalOpened() {
    return opened.get();
  }
}
