package io.errand.server.handler;

import io.errand.api.TaskHandler;
import io.errand.common.SettingException;

/**
 * Makes the handler a queue or supervisor of the server runs, from that queue's {@code handler}
 * name and {@code options} block. Built-in factories are {@code exec}, {@code http} and
 * {@code git-sync}; others are found with {@link java.util.ServiceLoader} on the class path and
 * in jars of the {@code plugins/} directory, under the name they return.
 *
 * <p>Tasks of server queues take their arguments as plain JSON values ({@code Map},
 * {@code List}, {@code String}, {@code Number}, {@code Boolean} or null) and their results are
 * turned into JSON the same way. A supervisor's keys run the same handlers: their context is a
 * {@link io.errand.api.KeyContext}.
 */
public interface HandlerFactory {

  /** The name a config uses for this handler: letters, digits, '.', '_' or '-'. */
  String name();

  /**
   * A handler for the queue or supervisor {@link HandlerSettings#owner()}. Called once per queue
   * at start-up, before any task runs; every option is checked here, not at run time.
   *
   * @throws SettingException naming the option that is missing or wrong, and what it must be
   */
  TaskHandler<Object, Object> create(HandlerSettings settings);
}
