package io.errand.http;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.Supervisor;

/**
 * Queues and supervisors by the name a request gives, with a 404 that names the ones there are
 * and the route that lists them (Errand's own message speaks to Java callers instead).
 */
final class Lookups {
  private Lookups() {}

  static QueueSpec<?, ?> queue(Errand errand, String name) {
    if (!errand.queues().contains(name)) {
      throw new ApiException(404, "unknown_queue", "there is no queue '"
          + JsonBodies.abbreviate(name, 64) + "'; the queues are "
          + String.join(", ", errand.queues()) + " (GET /api/queues)");
    }
    return errand.queue(name);
  }

  static Supervisor supervisor(Errand errand, String name) {
    if (!errand.supervisors().contains(name)) {
      throw new ApiException(404, "unknown_supervisor", "there is no supervisor '"
          + JsonBodies.abbreviate(name, 64) + "'; the supervisors are "
          + (errand.supervisors().isEmpty() ? "none" : String.join(", ", errand.supervisors()))
          + " (GET /api/supervisors)");
    }
    return errand.supervisor(name);
  }
}
