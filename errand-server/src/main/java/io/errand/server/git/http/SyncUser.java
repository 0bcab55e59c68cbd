package io.errand.server.git.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A named sync target of {@code /api/users} (seed 000's "users"): a queue and the arguments of
 * the task that syncs it.
 *
 * @param name  the name requests use, e.g. {@code alice}
 * @param queue the queue its task goes to
 * @param args  the task's arguments, as configured (secrets are masked when listed)
 */
public record SyncUser(String name, String queue, JsonNode args) {
  /**
   * Checks that every part is present.
   *
   * @throws NullPointerException naming the part that is null
   */
  public SyncUser {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(args, "args");
  }
}
