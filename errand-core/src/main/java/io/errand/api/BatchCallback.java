package io.errand.api;

/**
 * A task to submit when a batch ends: fan-in. It is added with the batch, WAITING but held
 * (never claimed) until every task of the batch ended; then it runs once, cluster-wide, and its
 * handler reads the batch's outcome from {@link TaskContext#previousResult()}: a map with
 * {@code group}, {@code total}, {@code succeeded}, {@code failed}, {@code cancelled} and
 * {@code results}, a list of {@code {id, status, response}} per task of the batch in id order
 * ({@code response} is the task's result, or its error). When it {@link Trigger#ON_SUCCESS
 * runs only on success} and a task of the batch ends otherwise, the callback is CANCELLED at once,
 * its reason naming that task.
 *
 * @param queue   the callback's queue (any queue of this Errand)
 * @param args    its arguments, checked against that queue as a submit's are
 * @param trigger when it runs
 */
public record BatchCallback(String queue, Object args, Trigger trigger) {
  /** When a batch's callback runs. */
  public enum Trigger {
    /** Once every task of the batch succeeded; cancelled as soon as one does not. */
    ON_SUCCESS,
    /** Once every task of the batch ended, whatever its status. */
    ON_END;

    /** The name used on the wire: {@code success} or {@code end}. */
    public String wireName() {
      return this == ON_SUCCESS ? "success" : "end";
    }

    /**
     * The trigger named {@code name} on the wire.
     *
     * @throws InvalidTaskException naming the value and the allowed ones
     */
    public static Trigger parse(String name) {
      return switch (name == null ? "" : name) {
        case "success" -> ON_SUCCESS;
        case "end" -> ON_END;
        default -> throw new InvalidTaskException("callback 'on' must be success or end; was '"
            + name + "'");
      };
    }
  }

  /**
   * Checks the values.
   *
   * @throws InvalidTaskException if the queue or the trigger is missing
   */
  public BatchCallback {
    if (queue == null || queue.isBlank()) {
      throw new InvalidTaskException("a batch callback needs a queue, and none was given");
    }
    if (trigger == null) {
      throw new InvalidTaskException("a batch callback needs a trigger (ON_SUCCESS or ON_END), "
          + "and none was given");
    }
  }

  /** A callback that runs once every task of the batch succeeded. */
  public static BatchCallback onSuccess(String queue, Object args) {
    return new BatchCallback(queue, args, Trigger.ON_SUCCESS);
  }

  /** A callback that runs once every task of the batch ended, whatever its status. */
  public static BatchCallback onEnd(String queue, Object args) {
    return new BatchCallback(queue, args, Trigger.ON_END);
  }
}
