package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.EventType;
import io.errand.api.Subscription;
import io.errand.api.TaskEvent;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The ring behind the event stream: cursors, gaps, dropped-event markers, closing. */
class ApiEventLogTest {
  private static final long NO_WAIT = 0;

  @Test
  void aReaderGetsWhatCameAfterItsCursorInOrder() throws Exception {
    EventLog log = new EventLog(8, false);
    for (int i = 1; i <= 5; i++) {
      assertThat(log.add(event(i), 0)).isEqualTo(i);
    }
    EventLog.Read r = log.after(2, 100, NO_WAIT);
    assertThat(r.gap()).isFalse();
    assertThat(r.entries()).extracting(EventLog.Entry::seq).containsExactly(3L, 4L, 5L);
    assertThat(r.entries()).extracting(e -> e.event().taskId()).containsExactly(3L, 4L, 5L);
    assertThat(log.after(5, 100, NO_WAIT).entries()).isEmpty();
    assertThat(log.after(0, 2, NO_WAIT).entries()).extracting(EventLog.Entry::seq)
        .containsExactly(1L, 2L);
  }

  @Test
  void aReaderOlderThanTheRingOrFromAnotherRunIsToldOfAGap() throws Exception {
    EventLog log = new EventLog(4, false);
    for (int i = 1; i <= 10; i++) {
      log.add(event(i), 0);
    }
    EventLog.Read behind = log.after(3, 100, NO_WAIT);
    assertThat(behind.gap()).isTrue();
    assertThat(behind.from()).isEqualTo(7);
    assertThat(behind.entries()).extracting(EventLog.Entry::seq).containsExactly(7L, 8L, 9L, 10L);

    EventLog.Read ahead = log.after(50, 100, NO_WAIT);
    assertThat(ahead.gap()).isTrue();
    assertThat(ahead.entries()).extracting(EventLog.Entry::seq).containsExactly(7L, 8L, 9L, 10L);

    assertThat(log.after(6, 100, NO_WAIT).gap()).isFalse();
  }

  @Test
  void eventsTheEngineDroppedBecomeAMarkerBeforeTheNextEvent() throws Exception {
    EventLog log = new EventLog(16, false);
    AtomicLong dropped = new AtomicLong();
    log.attach(new Subscription() {
      @Override
      public long dropped() {
        return dropped.get();
      }

      @Override
      public void close() {}
    });
    log.onEvent(event(1));
    dropped.set(7);
    log.onEvent(event(2));
    log.onEvent(event(3));

    EventLog.Read r = log.after(0, 100, NO_WAIT);
    assertThat(r.entries()).hasSize(4);
    assertThat(r.entries().get(1).event()).isNull();
    assertThat(r.entries().get(1).lost()).isEqualTo(7);
    assertThat(r.entries().get(2).event().taskId()).isEqualTo(2);
  }

  @Test
  void aWaitingReaderWakesForANewEventAndCloseReleasesIt() throws Exception {
    EventLog log = new EventLog(16, false);
    CompletableFuture<EventLog.Read> waiting = CompletableFuture.supplyAsync(() -> read(log, 0));
    log.add(event(1), 0);
    assertThat(waiting.get(10, TimeUnit.SECONDS).entries()).hasSize(1);

    CompletableFuture<EventLog.Read> closing = CompletableFuture.supplyAsync(() -> read(log, 1));
    log.close();
    assertThat(closing.get(10, TimeUnit.SECONDS).closed()).isTrue();
  }

  @Test
  void aReaderThatWaitsInVainGetsNothingAfterItsTimeOut() throws Exception {
    EventLog log = new EventLog(16, false);
    EventLog.Read r = log.after(0, 10, Duration.ofMillis(20).toNanos());
    assertThat(r.entries()).isEmpty();
    assertThat(r.closed()).isFalse();
    assertThat(r.gap()).isFalse();
  }

  private static EventLog.Read read(EventLog log, long seen) {
    try {
      return log.after(seen, 10, Duration.ofSeconds(30).toNanos());
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TaskEvent event(long id) {
    return new TaskEvent(EventType.ADDED, id, "q", TaskStatus.WAITING, 0, 0, 0, null,
        Instant.now(), null);
  }
}
