package io.errand.api;

import java.util.Collection;

/** A supervisor was asked for by a name this Errand does not have. */
public final class UnknownSupervisorException extends ErrandException {
  private static final long serialVersionUID = 1L;

  /** {@code name} is not one of {@code known}. */
  public UnknownSupervisorException(String name, Collection<String> known) {
    super("unknown_supervisor", "no supervisor named '" + name + "'; the supervisors are "
        + known + " (declare it with Errand.builder().supervisor(...))");
  }
}
