package scripts.task;

import io.errand.api.TaskContext;
import io.errand.api.TaskHandler;
import java.util.concurrent.atomic.AtomicLong;

/** Yao's {@code scripts.task.NextID} of seed 004: ids from 100001 up. */
public final class NextID implements TaskHandler<Object, Object> {
  public static final AtomicLong NEXT = new AtomicLong(100_000);

  @Override
  public Object run(TaskContext<Object> ctx) {
    return NEXT.incrementAndGet();
  }
}
