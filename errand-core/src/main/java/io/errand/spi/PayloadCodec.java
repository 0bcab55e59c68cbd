package io.errand.spi;

import io.errand.api.TaskError;
import io.errand.api.TaskStatus;
import java.util.List;

/**
 * Turns arguments and results into JSON text and back, for stores that keep bytes. The memory
 * store keeps the objects themselves and never calls it.
 */
public interface PayloadCodec {
  /**
   * JSON text of {@code value} (null stays null).
   *
   * @throws io.errand.api.InvalidTaskException if it cannot be written as JSON
   */
  String encode(Object value);

  /** The arguments of a task of {@code queue}, read back as that queue's argument type. */
  Object decodeArgs(String queue, String json);

  /** A result read back as plain JSON values (maps, lists, strings, numbers, booleans). */
  Object decodeResult(String json);

  /**
   * Arguments to show a reader: as the queue's argument type, or as plain JSON values when they
   * no longer read as it (the type changed since they were stored), rather than hiding the task.
   */
  default Object decodeArgsToShow(String queue, String json) {
    try {
      return decodeArgs(queue, json);
    } catch (RuntimeException unreadable) {
      return decodeResult(json);
    }
  }

  /**
   * What a task in {@code status} answers ({@link io.errand.api.TaskInfo#response}): a
   * SUCCESS's result read back as plain JSON values, a FAILURE's last error, otherwise null.
   */
  default Object decodeResponse(TaskStatus status, String result, List<TaskError> errors) {
    return switch (status) {
      case SUCCESS -> decodeResult(result);
      case FAILURE -> errors.isEmpty() ? null : errors.get(errors.size() - 1);
      default -> null;
    };
  }
}
