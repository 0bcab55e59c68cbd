package io.errand.spi;

import io.errand.api.TaskError;
import io.errand.api.TaskStatus;
import java.util.List;

/**
 * Turns arguments and results into JSON text and back, with the Errand's {@code ObjectMapper}.
 * Stores that keep bytes encode and decode through it; the memory store copies values through
 * it ({@link #copyArgs}, {@link #copyResult}), so that every store hands back the same values.
 */
public interface PayloadCodec {
  /**
   * JSON text of {@code value} (null stays null).
   *
   * @throws io.errand.api.InvalidTaskException if it cannot be written as JSON
   */
  String encode(Object value);

  /**
   * JSON text of {@code value} (null stays null); a refusal names {@code what} the value is
   * (e.g. "the arguments of a task of queue 'mail'").
   *
   * @throws io.errand.api.PayloadEncodingException if it cannot be written as JSON, naming
   *     {@code what} and where in the value the problem is
   */
  default String encode(Object value, String what) {
    return encode(value);
  }

  /** The arguments of a task of {@code queue}, read back as that queue's argument type. */
  Object decodeArgs(String queue, String json);

  /** A result read back as plain JSON values (maps, lists, strings, numbers, booleans). */
  Object decodeResult(String json);

  /**
   * A result of a task of {@code queue}, read back as the queue's result type when it declares
   * one ({@link io.errand.api.QueueSpec#resultType()}), else as plain JSON values.
   */
  default Object decodeResult(String queue, String json) {
    return decodeResult(json);
  }

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

  /**
   * What a task of {@code queue} in {@code status} answers: as
   * {@link #decodeResponse(TaskStatus, String, List)}, a SUCCESS's result read as the queue's
   * result type ({@link #decodeResult(String, String)}), or as plain JSON values when it no
   * longer reads as that type, rather than hiding the task.
   */
  default Object decodeResponse(String queue, TaskStatus status, String result,
      List<TaskError> errors) {
    if (status != TaskStatus.SUCCESS) {
      return decodeResponse(status, result, errors);
    }
    try {
      return decodeResult(queue, result);
    } catch (RuntimeException unreadable) {
      return decodeResult(result);
    }
  }

  /**
   * For stores that keep objects: {@code args} of a task of {@code queue} as a store keeping
   * JSON would hand them back (written, then read as the queue's argument type).
   *
   * @throws io.errand.api.PayloadEncodingException if they cannot be written as JSON
   */
  default Object copyArgs(String queue, Object args) {
    return args == null ? null : decodeArgs(queue,
        encode(args, "the arguments of a task of queue '" + queue + "'"));
  }

  /**
   * For stores that keep objects: the result of task {@code id} of {@code queue} as a store
   * keeping JSON would hand it back (written, then read as the queue's result type).
   *
   * @throws io.errand.api.PayloadEncodingException if it cannot be written as JSON
   */
  default Object copyResult(String queue, long id, Object result) {
    return result == null ? null : decodeResult(queue,
        encode(result, "the result of task " + id));
  }

  /**
   * For stores that keep objects: the result handed to chain step {@code id}, as a store keeping
   * JSON would hand it over (plain JSON values, as {@link #decodeResult(String)} reads it).
   *
   * @throws io.errand.api.PayloadEncodingException if it cannot be written as JSON
   */
  default Object copyPreviousResult(long id, Object previousResult) {
    return previousResult == null ? null : decodeResult(
        encode(previousResult, "the previous result handed to task " + id));
  }
}
