package scripts.task;

import io.errand.api.TaskContext;
import io.errand.api.TaskHandler;
import java.util.Map;

/**
 * Yao's {@code scripts.task.Send} of seed 004: "sends" a message in three steps, reporting
 * progress; args {@code {to, fail?}}.
 */
public final class Send implements TaskHandler<Object, Object> {
  @Override
  public Object run(TaskContext<Object> ctx) {
    Map<?, ?> args = (Map<?, ?>) ctx.args();
    for (int i = 1; i <= 3; i++) {
      ctx.checkpoint();
      ctx.progress(i, 3, "step " + i);
    }
    if (Boolean.TRUE.equals(args.get("fail"))) {
      throw new IllegalStateException("cannot send to " + args.get("to"));
    }
    return Map.of("sent", args.get("to"));
  }
}
