package io.errand.engine;

import io.errand.api.TaskError;
import io.errand.spi.TaskRecord;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Consumer;

/**
 * What a queue's workers need from the engine, and nothing more: time, this node's name,
 * timers, the engine's lifecycle, the events, the failure log, and two callbacks. The engine
 * makes one and hands it to every {@link QueueRunner}, which never sees the engine itself.
 *
 * @param clock the engine's clock
 * @param node this process's node name, written on every claim
 * @param timers the engine's timers (time-outs, cancel graces, the due timer)
 * @param lifecycle whether the engine claims or shuts down; counts requeued and abandoned
 * @param events where started, progress and retrying events go
 * @param failures the failure log (abandoned handlers)
 * @param attempts told when an attempt starts and ends on a worker
 * @param finished everything that follows a task reaching a terminal status
 * @param errorOf the error kept for a handler's failure, its stack trace cut as configured
 * @param history counts each attempt's wait, run and outcome for the store's history
 */
record RunnerContext(InstantSource clock, String node, Timers timers, Lifecycle lifecycle,
    TaskEvents events, FailureLog failures, AttemptWatch attempts,
    Consumer<TaskRecord> finished, Errors errorOf, HistoryRecorder history) {

  /** Makes the error kept for a failure. */
  interface Errors {
    /** The error of {@code failure} in {@code attempt} at {@code at}. */
    TaskError of(int attempt, Throwable failure, Instant at);
  }

  /** Told by a worker as it publishes its attempt and as that attempt is over. */
  interface AttemptWatch {
    /** {@code a} is its worker's current attempt: a cancel that came before it applies now. */
    void started(Attempt a);

    /** {@code a} is over (ended, requeued or fenced out): nothing left of it to stop. */
    void ended(Attempt a);

    /**
     * The engine's watch: a cancel that came before the attempt was published applies at its
     * start; its end forgets a pending cancel and may let a shutdown waiting for it go on.
     */
    static AttemptWatch of(Cancellations cancellations, Lifecycle lifecycle) {
      return new AttemptWatch() {
        @Override
        public void started(Attempt a) {
          cancellations.register(a);
        }

        @Override
        public void ended(Attempt a) {
          cancellations.ended(a.id());
          lifecycle.attemptEnded();
        }
      };
    }
  }
}
