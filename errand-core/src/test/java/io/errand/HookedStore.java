package io.errand;

import io.errand.memory.MemoryStore;
import io.errand.spi.Claim;
import io.errand.spi.EndAndNext;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import io.errand.spi.Tasks;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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

  /** {@code store}, whose {@link Tasks} run {@code hook} after each call. */
  static TaskStore of(MemoryStore store, Hook hook) {
    Tasks tasks = (Tasks) Proxy.newProxyInstance(Tasks.class.getClassLoader(),
        new Class<?>[] {Tasks.class}, (proxy, method, args) -> {
          Object result = call(store.tasks(), method, args);
          hook.after(method.getName(), result);
          return result;
        });
    return (TaskStore) Proxy.newProxyInstance(TaskStore.class.getClassLoader(),
        new Class<?>[] {TaskStore.class}, (proxy, method, args) ->
            method.getName().equals("tasks") ? tasks : call(store, method, args));
  }

  /**
   * The task a call claimed ({@code claim}, the first of a claim of many, or
   * {@code finishAndClaim}), or null.
   */
  static TaskRecord claimed(String method, Object result) {
    Claim claim = switch (method) {
      case "claim" -> result instanceof java.util.List<?> many
          ? Claim.ofNullable(many.isEmpty() ? null : (TaskRecord) many.get(0)) : (Claim) result;
      case "finishAndClaim" -> ((EndAndNext) result).next();
      default -> Claim.NONE_DUE;
    };
    return claim instanceof Claim.Claimed(TaskRecord rec) ? rec : null;
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
