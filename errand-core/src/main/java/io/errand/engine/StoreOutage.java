package io.errand.engine;

import io.errand.api.ErrandException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records an attempt's end through an outage of a durable store. A handler's outcome exists
 * only in this process until the store has it: given up, the task would stay RUNNING under a
 * node that lives on, and never run again. So the end is tried again, waiting longer each time
 * (up to 2 s), for as long as the engine runs; once it stops, the task is left to the store's
 * recovery (the node's tasks are requeued when it leaves or its lease passes). Retrying is
 * safe because every end is fenced by its attempt: an end that did commit before its answer
 * was lost is answered "fenced out" the second time, and changes nothing.
 */
final class StoreOutage {
  private static final Logger log = LoggerFactory.getLogger(StoreOutage.class);
  private static final long FIRST_WAIT_NANOS = 50_000_000L;
  private static final long LONGEST_WAIT_NANOS = 2_000_000_000L;

  private StoreOutage() {}

  /**
   * {@code call}'s answer; while it fails with {@code store_failed} and {@code keepTrying}
   * holds, tries it again.
   *
   * @throws ErrandException what the last try threw, once {@code keepTrying} no longer holds,
   *     or at once for any other code
   */
  static <T> T retried(Supplier<T> call, BooleanSupplier keepTrying, String what) {
    long wait = FIRST_WAIT_NANOS;
    boolean warned = false;
    while (true) {
      try {
        T answer = call.get();
        if (warned) {
          log.info("{}: recorded after the store came back", what);
        }
        return answer;
      } catch (ErrandException e) {
        if (!"store_failed".equals(e.code()) || !keepTrying.getAsBoolean()) {
          throw e;
        }
        if (!warned) {
          warned = true;
          log.warn("{}: the store failed ({}); trying again until it answers", what,
              e.getMessage());
        }
        LockSupport.parkNanos(wait);
        wait = Math.min(LONGEST_WAIT_NANOS, wait * 2);
      }
    }
  }
}
