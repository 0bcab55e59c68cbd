package io.errand.server.serve;

import io.errand.api.InvalidTaskException;
import io.errand.api.TaskHandler;
import java.util.function.LongSupplier;

/** Task ids from a handler (Yao's {@code event.next}): it is called with no arguments. */
final class HookIds implements LongSupplier {
  private final String queue;
  private final TaskHandler<Object, Object> handler;

  HookIds(String queue, TaskHandler<Object, Object> handler) {
    this.queue = queue;
    this.handler = handler;
  }

  @Override
  public long getAsLong() {
    Object id;
    try {
      id = handler.run(new HookContext(0, queue, null));
    } catch (Exception e) {
      throw new InvalidTaskException("the id generator of queue '" + queue + "' failed: "
          + e.getMessage());
    }
    if (id instanceof Number n && n.longValue() > 0) {
      return n.longValue();
    }
    if (id instanceof String s && s.matches("[1-9][0-9]{0,18}")) {
      return Long.parseLong(s);
    }
    throw new InvalidTaskException("the id generator of queue '" + queue + "' returned " + id
        + "; it must return a positive whole number");
  }
}
