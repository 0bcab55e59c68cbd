package io.errand.api;

/**
 * What a submit does when its key is already held (see {@link Uniqueness}): a closed set, so
 * every store and interface handles each case.
 *
 * <p>{@link ReplaceArgs} and {@link Debounce} change the holding task only while it is WAITING:
 * a task already RUNNING or finished is never changed, and the submit then answers it as
 * {@link ReturnExisting} does. No mode ever adds a second task while the key is held.
 */
public sealed interface OnConflict {
  /** Answer the holding task; change nothing (the default). */
  OnConflict RETURN_EXISTING = new ReturnExisting();
  /** Give the waiting task this submit's arguments. */
  OnConflict REPLACE_ARGS = new ReplaceArgs();
  /** Push the waiting task's run time to this submit's, if that is later. */
  OnConflict DEBOUNCE = new Debounce();

  /** The name used on the wire (HTTP {@code on_conflict}, CLI {@code --on-conflict}). */
  String wireName();

  /**
   * The mode named {@code name} on the wire: {@code return}, {@code replace} or
   * {@code debounce}.
   *
   * @throws InvalidTaskException naming the value and the allowed ones if it is none of them
   */
  static OnConflict parse(String name) {
    return switch (name == null ? "" : name) {
      case "return" -> RETURN_EXISTING;
      case "replace" -> REPLACE_ARGS;
      case "debounce" -> DEBOUNCE;
      default -> throw new InvalidTaskException("on_conflict must be one of return, replace, "
          + "debounce; was '" + name + "'");
    };
  }

  /** Answer the task that holds the key, as a submit with a key always did. */
  record ReturnExisting() implements OnConflict {
    @Override
    public String wireName() {
      return "return";
    }
  }

  /**
   * Replace the waiting task's arguments with this submit's (last writer wins); its run time,
   * priority and id stay. For "keep only the latest request", such as a search index refresh.
   */
  record ReplaceArgs() implements OnConflict {
    @Override
    public String wireName() {
      return "replace";
    }
  }

  /**
   * Push the waiting task's run time to this submit's (its delay from now, or its runAt) when
   * that is later; never nearer: each submit pushes the run, so the task runs once, a delay
   * after the last of a burst (with one delay for all). Its arguments stay the first submit's.
   * A submit whose time is not later is still answered as debounced (it was absorbed).
   */
  record Debounce() implements OnConflict {
    @Override
    public String wireName() {
      return "debounce";
    }
  }
}
