package io.errand.spi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.spi.Change;
import io.errand.spi.Claim;
import io.errand.spi.TaskRecord;

/** The records inside a store's sealed answers, for tests that expect one to be there. */
public final class Answers {
  private Answers() {}

  /** The task of {@code claim}; fails if none was due. */
  public static TaskRecord claimed(Claim claim) {
    assertThat(claim).as("a claim that found a task").isInstanceOf(Claim.Claimed.class);
    return ((Claim.Claimed) claim).record();
  }

  /** The task after {@code change}; fails if it was fenced out. */
  public static TaskRecord changed(Change change) {
    assertThat(change).as("a change that was made").isInstanceOf(Change.Changed.class);
    return ((Change.Changed) change).record();
  }
}
