package io.errand.api;

/**
 * The long-running work of one supervised key (a connection per account, a consumer per
 * tenant). It normally runs until asked to stop: it should watch {@link KeyContext#checkpoint()}
 * or {@link KeyContext#isCancelled()}, or register {@link KeyContext#onCancel} to close what it
 * holds. Returning normally or throwing ends the instance; the supervisor's restart policy says
 * what happens next.
 *
 * @param <A> the type of the key's arguments (its configuration)
 */
@FunctionalInterface
public interface KeyHandler<A> {
  /**
   * Runs one instance of the key until it is stopped, fails, or is done.
   *
   * @param ctx the instance's arguments, stop signal and heartbeat
   * @throws Exception when the instance fails; the supervisor's restart policy decides what
   *                   follows
   */
  void run(KeyContext<A> ctx) throws Exception;
}
