package io.errand.engine;

import org.slf4j.MDC;

/**
 * The SLF4J MDC entries that say which task a log line is about: {@value #TASK_ID},
 * {@value #QUEUE}, {@value #ATTEMPT} and {@value #KEY} (the unique or supervised key, when there
 * is one). Set around every handler call and around the engine's own lines about a task. For a
 * supervised key, as in its events, the queue entry is the supervisor's name and the task id is
 * the instance's id. Closing restores what the thread's MDC held before.
 */
final class TaskMdc implements AutoCloseable {
  static final String TASK_ID = "errand.task_id";
  static final String QUEUE = "errand.queue";
  static final String ATTEMPT = "errand.attempt";
  static final String KEY = "errand.key";
  private static final String[] KEYS = {TASK_ID, QUEUE, ATTEMPT, KEY};

  private final String[] before = new String[KEYS.length];

  private TaskMdc(long id, String queue, int attempt, String key) {
    for (int i = 0; i < KEYS.length; i++) {
      before[i] = MDC.get(KEYS[i]);
    }
    MDC.put(TASK_ID, Long.toString(id));
    MDC.put(QUEUE, queue);
    MDC.put(ATTEMPT, Integer.toString(attempt));
    if (key == null) {
      MDC.remove(KEY);
    } else {
      MDC.put(KEY, key);
    }
  }

  /** Sets the entries of one task (or key instance) on this thread until {@link #close()}. */
  static TaskMdc open(long id, String queue, int attempt, String key) {
    return new TaskMdc(id, queue, attempt, key);
  }

  @Override
  public void close() {
    for (int i = 0; i < KEYS.length; i++) {
      if (before[i] == null) {
        MDC.remove(KEYS[i]);
      } else {
        MDC.put(KEYS[i], before[i]);
      }
    }
  }
}
