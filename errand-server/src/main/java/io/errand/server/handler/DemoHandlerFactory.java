package io.errand.server.handler;

import io.errand.api.NonRetryableException;
import io.errand.api.TaskHandler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code demo} handler of the server's default queue: a task that walks through a number of
 * steps, reporting progress at each, so a fresh server has something to watch. Args (all
 * optional): {@code steps} (default 10, at most 1000), {@code step_ms} (default 300, at most
 * 60000), {@code fail} (true fails the attempt at the last step). Options: {@code step}, the
 * default step time. It stops at the next step when cancelled.
 */
public final class DemoHandlerFactory implements HandlerFactory {

  /** Creates the factory; the server finds it through {@link java.util.ServiceLoader}. */
  public DemoHandlerFactory() {}

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public TaskHandler<Object, Object> create(HandlerSettings settings) {
    settings.allowOnly("step");
    Duration defaultStep = settings.duration("step", Duration.ofMillis(300));
    return ctx -> {
      Map<?, ?> args = ctx.args() instanceof Map<?, ?> m ? m : Map.of();
      int steps = number(args, "steps", 10, 1_000);
      long stepMillis = number(args, "step_ms", (int) defaultStep.toMillis(), 60_000);
      boolean fail = Boolean.TRUE.equals(args.get("fail"));
      for (int i = 1; i <= steps; i++) {
        ctx.checkpoint();
        LockSupport.parkNanos(Duration.ofMillis(stepMillis).toNanos()); // the step's "work"
        ctx.checkpoint();
        if (fail && i == steps) {
          throw new IllegalStateException("the demo task failed at step " + i + " as asked"
              + " (args.fail = true)");
        }
        ctx.progress(i, steps, "step " + i + " of " + steps);
      }
      return Map.of("steps", steps);
    };
  }

  private static int number(Map<?, ?> args, String key, int dflt, int max) {
    Object v = args.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number n) || n.longValue() < 0 || n.longValue() > max) {
      throw new NonRetryableException("args." + key + " must be a whole number from 0 to " + max
          + ", was " + v);
    }
    return n.intValue();
  }
}
