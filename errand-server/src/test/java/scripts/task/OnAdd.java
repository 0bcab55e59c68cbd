package scripts.task;

import io.errand.api.TaskContext;
import io.errand.api.TaskHandler;

/** Yao's {@code scripts.task.OnAdd} hook of seed 004, found by class name: records its calls. */
public final class OnAdd implements TaskHandler<Object, Object> {
  @Override
  public Object run(TaskContext<Object> ctx) {
    return Hooked.record("OnAdd", ctx.args());
  }
}
