package io.errand;

import io.errand.memory.MemoryStore;
import io.errand.spi.EndAndNext;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * A memory store that runs a test's hook right after some of its calls return, on the calling
 * thread: a test puts a racing action (a cancel, a clock move) at the exact moment it means,
 * instead of hoping a thread gets there under load.
 */
final class HookedStore {
  private HookedStore() {}

  /** What runs after a call of the store returned {@code result}. */
  interface Hook {
    void after(String method, Object result);
  }

  static TaskStore of(MemoryStore store, Hook hook) {
    return (TaskStore) Proxy.newProxyInstance(TaskStore.class.getClassLoader(),
        new Class<?>[] {TaskStore.class}, (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          hook.after(method.getName(), result);
          return result;
        });
  }

  /** The task a call claimed ({@code claim} or {@code finishAndClaim}), or null. */
  static TaskRecord claimed(String method, Object result) {
    return switch (method) {
      case "claim" -> (TaskRecord) result;
      case "finishAndClaim" -> ((EndAndNext) result).next();
      default -> null;
    };
  }
}
