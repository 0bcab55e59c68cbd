package scripts.task;

import io.errand.api.TaskContext;
import io.errand.api.TaskHandler;

/** Yao's {@code scripts.task.OnError} hook of seed 004, found by class name: records its calls. */
public final class OnError implements TaskHandler<Object, Object> {
  @Override
  public Object run(TaskContext<Object> ctx) {
    return Hooked.record("OnError", ctx.args());
  }
}
