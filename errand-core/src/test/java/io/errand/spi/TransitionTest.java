package io.errand.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.TaskError;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransitionTest {

  @Test
  void everyMoveOfTheTableIsATransitionAndNoOtherIs() {
    for (TaskStatus from : TaskStatus.values()) {
      for (TaskStatus to : TaskStatus.values()) {
        if (from.canMoveTo(to)) {
          assertThat(new Transition(from, to).to()).isEqualTo(to);
          assertThat(Transition.check(from, to)).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> new Transition(from, to))
              .isInstanceOf(IllegalStateException.class)
              .hasMessage("a task cannot move from " + from + " to " + to
                  + " (TaskStatus.canMoveTo): this is a bug in the store");
        }
      }
    }
  }

  @Test
  void theEndOfAnAttemptFollowsItsOutcome() {
    TaskError error = new TaskError(1, "java.io.IOException", "boom", Instant.EPOCH);

    assertThat(Transition.end(new Outcome.Succeeded(1)).to()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(Transition.end(new Outcome.Failed(error)).to()).isEqualTo(TaskStatus.FAILURE);
    assertThat(Transition.end(new Outcome.Cancelled("no", null)).to())
        .isEqualTo(TaskStatus.CANCELLED);
    assertThat(Transition.end(new Outcome.Succeeded(1)).from()).isEqualTo(TaskStatus.RUNNING);
  }

  @Test
  void checkAfterAcceptsAnAllowedMoveOrNoMoveAndRefusesAnother() {
    TaskRecord running = record(TaskStatus.RUNNING);

    assertThat(Transition.checkAfter(TaskStatus.WAITING, running)).isSameAs(running);
    assertThat(Transition.checkAfter(TaskStatus.RUNNING, running)).isSameAs(running);
    assertThat(Transition.checkAfter(TaskStatus.RUNNING, null)).isNull();
    assertThatThrownBy(() -> Transition.checkAfter(TaskStatus.SUCCESS, running))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("from SUCCESS to RUNNING");
  }

  private static TaskRecord record(TaskStatus status) {
    TaskInfo info = new TaskInfo(7, "q", status, 0, 0, null, null, null, 1, List.of(),
        Instant.EPOCH, null, null, Instant.EPOCH, null, 0, 0, null);
    return new TaskRecord(info, 0, null, false, null);
  }
}
