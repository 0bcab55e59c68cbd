package io.errand.server.serve;

import io.errand.api.TaskContext;
import io.errand.api.TaskStoppedException;
import java.time.Instant;
import java.util.Optional;

/**
 * The context a handler sees when it runs as a hook (a queue's {@code event.*} or {@code next})
 * rather than as a task: the task it is about, and the event as its arguments. Progress and
 * cancel do not apply to hooks.
 */
record HookContext(long id, String queue, Object args) implements TaskContext<Object> {

  @Override
  public int attempt() {
    return 1;
  }

  @Override
  public Optional<Instant> deadline() {
    return Optional.empty();
  }

  @Override
  public void progress(long current, long total, String message) {
    // A hook has no task record of its own to carry progress.
  }

  @Override
  public void checkpoint() {
    if (Thread.currentThread().isInterrupted()) {
      throw new TaskStoppedException(TaskStoppedException.StopCause.SHUTDOWN,
          "the hook was interrupted: the server is stopping");
    }
  }

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public boolean shuttingDown() {
    return Thread.currentThread().isInterrupted();
  }

  @Override
  public void onCancel(Runnable callback) {
    // Hooks are never cancelled; they end with the server.
  }

  @Override
  public Optional<Object> previousResult() {
    return Optional.empty();
  }
}
