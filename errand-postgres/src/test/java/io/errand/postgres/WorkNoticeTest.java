package io.errand.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.spi.contract.RecordingSignals;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A work notification from another node wakes this node's queue either way; only one that may
 * announce a delayed task (a positive origin) makes the next claim mark due tasks first. This
 * node's own notifications are ignored in both forms.
 */
class WorkNoticeTest {
  private static final String Q = "mail";
  private static final long SELF = 7;
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private final RecordingSignals signals = new RecordingSignals();
  private final DueMarks marks = new DueMarks();
  private final Signalling signalling = new Signalling("errand", signals, SELF, marks, null);

  @AfterEach
  void close() {
    signalling.close();
  }

  @Test
  void aNoticeOfReadyTasksWakesTheQueueAndKeepsItsDueMarks() {
    marks.marked(Q, marks.epoch(Q), null);
    signalling.received(signalling.workChannel, "-3 " + Q);
    assertThat(signals.workAvailable()).containsExactly(Q);
    assertThat(marks.markingNeeded(Q, marks.epoch(Q), NOW)).isFalse();
  }

  @Test
  void aNoticeThatMayAnnounceADelayedTaskWakesTheQueueAndMakesTheNextClaimMark() {
    marks.marked(Q, marks.epoch(Q), null);
    signalling.received(signalling.workChannel, "3 " + Q);
    assertThat(signals.workAvailable()).containsExactly(Q);
    assertThat(marks.markingNeeded(Q, marks.epoch(Q), NOW)).isTrue();
  }

  @Test
  void thisNodesOwnNoticesAreIgnoredInBothForms() {
    signalling.received(signalling.workChannel, SELF + " " + Q);
    signalling.received(signalling.workChannel, -SELF + " " + Q);
    assertThat(signals.workAvailable()).isEmpty();
  }

  @Test
  void theNoticeSaysWhetherADelayedTaskIsAnnounced() {
    assertThat(signalling.workNotice(true).origin()).isEqualTo("7");
    assertThat(signalling.workNotice(false).origin()).isEqualTo("-7");
    assertThat(signalling.workNotice(false).channel()).isEqualTo("errand_work");
  }
}
