package io.errand.api;

import static io.errand.api.TaskStatus.CANCELLED;
import static io.errand.api.TaskStatus.FAILURE;
import static io.errand.api.TaskStatus.RUNNING;
import static io.errand.api.TaskStatus.SUCCESS;
import static io.errand.api.TaskStatus.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transition table of DESIGN §2, exactly. */
class TaskStatusTest {

  @Test
  void allowedTransitionsAreExactlyThoseOfTheDesign() {
    assertThat(allowedFrom(WAITING)).containsExactlyInAnyOrder(RUNNING, CANCELLED);
    assertThat(allowedFrom(RUNNING))
        .containsExactlyInAnyOrder(WAITING, SUCCESS, FAILURE, CANCELLED);
    for (TaskStatus terminal : EnumSet.of(SUCCESS, FAILURE, CANCELLED)) {
      assertThat(allowedFrom(terminal)).isEmpty();
      assertThat(terminal.isTerminal()).isTrue();
      assertThat(terminal.isLive()).isFalse();
    }
    assertThat(WAITING.isLive()).isTrue();
    assertThat(RUNNING.isLive()).isTrue();
  }

  @Test
  void wireNamesNeverChange() {
    assertThat(TaskStatus.values()).extracting(Enum::name)
        .containsExactly("WAITING", "RUNNING", "SUCCESS", "FAILURE", "CANCELLED");
  }

  private static Set<TaskStatus> allowedFrom(TaskStatus from) {
    Set<TaskStatus> out = EnumSet.noneOf(TaskStatus.class);
    for (TaskStatus to : TaskStatus.values()) {
      if (from.canMoveTo(to)) {
        out.add(to);
      }
    }
    return out;
  }
}
