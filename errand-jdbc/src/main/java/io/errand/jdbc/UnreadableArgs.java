package io.errand.jdbc;

import io.errand.api.TaskError;
import io.errand.spi.Claim;
import io.errand.spi.PayloadCodec;
import io.errand.spi.TaskRecord;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claimed tasks whose stored arguments cannot be read (their queue's argument type changed
 * since they were submitted, say). Such a task can never run: handing it to the engine would
 * fail its worker and leave it RUNNING. It fails for good instead, its error saying why, and
 * the claim goes on to the next task.
 */
public final class UnreadableArgs {
  private static final Logger log = LoggerFactory.getLogger(UnreadableArgs.class);

  private UnreadableArgs() {}

  /** How a store fails a claimed task for good. */
  @FunctionalInterface
  public interface Failer {
    /**
     * Ends attempt {@code row.attempt()} of {@code row} FAILURE with {@code error} (stored) and
     * {@code message}, and raises its end ({@link io.errand.spi.StoreSignals#ended}).
     */
    void fail(StoredTask row, TaskError error, String message);
  }

  /**
   * The claim of {@code row} (null: none was due) as a runnable record; while a claimed row's
   * arguments cannot be read, it is failed with {@code failer} and {@code claimNext} claims
   * another.
   */
  public static Claim runnable(StoredTask row, PayloadCodec codec,
      Supplier<StoredTask> claimNext, Failer failer, Instant now) {
    StoredTask claimed = row;
    while (claimed != null) {
      try {
        TaskRecord record = claimed.toRunnableRecord(codec);
        return new Claim.Claimed(record);
      } catch (RuntimeException unreadable) {
        String message = "the stored arguments of task " + claimed.id() + " cannot be read, so "
            + "it cannot run: " + unreadable.getMessage();
        TaskError error = new TaskError(claimed.attempt(), unreadable.getClass().getName(),
            message, now);
        failer.fail(claimed, error, message);
        log.warn("{}", message, unreadable);
      }
      claimed = claimNext.get();
    }
    return Claim.NONE_DUE;
  }
}
