package io.errand;

import io.errand.memory.MemoryStore;
import io.errand.spi.TaskStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * A memory store presented as durable and surviving {@code close()}: what a file or database
 * does across a restart, so the durable paths of the engine can be tested in one JVM.
 */
final class DurableView {
  private DurableView() {}

  static TaskStore of(MemoryStore store) {
    return (TaskStore) Proxy.newProxyInstance(TaskStore.class.getClassLoader(),
        new Class<?>[] {TaskStore.class}, (proxy, method, args) -> switch (method.getName()) {
          case "durable" -> true;
          case "close" -> null;
          default -> {
            try {
              yield method.invoke(store, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          }
        });
  }
}
