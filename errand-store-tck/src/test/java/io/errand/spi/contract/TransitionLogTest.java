package io.errand.spi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.spi.TaskRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransitionLogTest {

  @Test
  void notesEachChangeOfATasksStatusOnce() {
    TransitionLog log = new TransitionLog();

    log.saw(record(1, TaskStatus.WAITING));
    log.saw(record(1, TaskStatus.WAITING));
    log.saw(record(1, TaskStatus.RUNNING));
    log.saw(record(2, TaskStatus.WAITING));
    log.saw(record(1, TaskStatus.SUCCESS));
    log.saw(null);

    assertThat(log.moves()).containsExactly(
        new TransitionLog.Move(1, TaskStatus.WAITING, TaskStatus.RUNNING),
        new TransitionLog.Move(1, TaskStatus.RUNNING, TaskStatus.SUCCESS));
    assertThat(log.illegalMoves()).isEmpty();
  }

  @Test
  void findsAMoveTheTableDoesNotAllow() {
    TransitionLog log = new TransitionLog();

    log.saw(record(1, TaskStatus.WAITING));
    log.saw(record(1, TaskStatus.SUCCESS)); // skipped RUNNING: not a move of the table
    log.saw(record(2, TaskStatus.CANCELLED));
    log.saw(record(2, TaskStatus.WAITING));

    assertThat(log.illegalMoves()).containsExactly(
        new TransitionLog.Move(1, TaskStatus.WAITING, TaskStatus.SUCCESS),
        new TransitionLog.Move(2, TaskStatus.CANCELLED, TaskStatus.WAITING));
  }

  @Test
  void aRemovedTaskStartsAfresh() {
    TransitionLog log = new TransitionLog();
    log.saw(record(1, TaskStatus.SUCCESS));

    log.removed(1);
    log.saw(record(1, TaskStatus.WAITING)); // an id given again after the delete

    assertThat(log.moves()).isEmpty();
  }

  private static TaskRecord record(long id, TaskStatus status) {
    TaskInfo info = new TaskInfo(id, "q", status, 0, 0, null, null, null, 0, List.of(),
        Instant.EPOCH, null, null, Instant.EPOCH, null, 0, 0, null);
    return new TaskRecord(info, 0, null, false, null);
  }
}
