package scripts.task;

import io.errand.api.TaskContext;
import io.errand.api.TaskHandler;

/** Yao's {@code scripts.task.OnSuccess} hook of seed 004, found by class name: records its calls. */
public final class OnSuccess implements TaskHandler<Object, Object> {
  @Override
  public Object run(TaskContext<Object> ctx) {
    return Hooked.record("OnSuccess", ctx.args());
  }
}
