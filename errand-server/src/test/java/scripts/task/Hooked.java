package scripts.task;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the Yao-named test hooks were called with, in order. */
public final class Hooked {
  /** Every call: the hook's name and the event it got. */
  public record Call(String hook, Map<?, ?> event) {}

  public static final List<Call> CALLS = new CopyOnWriteArrayList<>();

  private Hooked() {}

  static Object record(String hook, Object event) {
    CALLS.add(new Call(hook, (Map<?, ?>) event));
    return null;
  }
}
