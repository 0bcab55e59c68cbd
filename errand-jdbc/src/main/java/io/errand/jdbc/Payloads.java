package io.errand.jdbc;

import io.errand.api.Schedule;
import io.errand.spi.Groups;
import io.errand.spi.NewTask;
import io.errand.spi.PayloadCodec;
import io.errand.spi.PayloadLimit;
import io.errand.spi.StoredKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The payloads a SQL store writes, as JSON within its size limit ({@link PayloadLimit}), each
 * refusal naming what was refused the same way in every store.
 */
public final class Payloads {
  private final PayloadLimit limit;

  /** Payloads within {@code limit}. */
  public Payloads(PayloadLimit limit) {
    this.limit = limit;
  }

  /** The codec payloads go through. */
  public PayloadCodec codec() {
    return limit.codec();
  }

  /** The limit itself, for results ({@link EncodedEnd}). */
  public PayloadLimit limit() {
    return limit;
  }

  /**
   * The arguments of {@code task} as JSON.
   *
   * @throws io.errand.api.InvalidTaskException if they are too large or not JSON
   */
  public String args(NewTask task) {
    return limit.encode(task.args(), "the arguments of a task of queue '" + task.queue() + "'");
  }

  /**
   * The arguments of every task of a group, in order, after checking that none has a key.
   *
   * @throws io.errand.api.InvalidTaskException if a task has a key, or arguments that are too
   *     large or not JSON
   */
  public List<String> groupArgs(List<NewTask> tasks) {
    Groups.requireNoKeys(tasks);
    List<String> args = new ArrayList<>(tasks.size());
    for (NewTask t : tasks) {
      args.add(args(t));
    }
    return args;
  }

  /**
   * The result handed to chain step {@code id} as JSON.
   *
   * @throws io.errand.api.InvalidTaskException if it is too large or not JSON
   */
  public String previousResult(long id, Object previousResult) {
    return limit.encode(previousResult, "the previous result handed to task " + id);
  }

  /**
   * The arguments of supervised key {@code key} as JSON.
   *
   * @throws io.errand.api.InvalidTaskException if they are too large or not JSON
   */
  public String keyArgs(StoredKey key) {
    return limit.encode(key.args(), "the arguments of key '" + key.key() + "' of supervisor '"
        + key.supervisor() + "'");
  }

  /**
   * The fixed args of {@code schedule} as JSON, or null when it has none (an args function
   * lives only in the process that defined it).
   *
   * @throws io.errand.api.InvalidTaskException if they are too large or not JSON
   */
  public String scheduleArgs(Schedule schedule) {
    Object args = schedule.fixedArgs().orElse(null);
    return args == null ? null
        : limit.encode(args, "the arguments of schedule '" + schedule.name() + "'");
  }
}
