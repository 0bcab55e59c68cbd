package io.errand.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A schedule definition: defaults, the start/end window, args, policies and refusals. */
class ScheduleTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void defaultsAreRunOnceAndSkipOverlaps() {
    Schedule s = Schedule.builder("nightly", "reports", ScheduleSpec.parse("@daily")).build();
    assertThat(s.missed()).isEqualTo(MissedRunPolicy.runOnce());
    assertThat(s.overlap()).isEqualTo(OverlapPolicy.SKIP);
    assertThat(s.jitter()).isZero();
    assertThat(s.start()).isEmpty();
    assertThat(s.fixedArgs()).isEmpty();
  }

  @Test
  void startAndEndBoundTheOccurrences() {
    Schedule s =
        Schedule.builder("s", "q", ScheduleSpec.every(Duration.ofHours(1)))
            .start(T0.plus(Duration.ofHours(2)))
            .end(T0.plus(Duration.ofHours(4)))
            .build();
    assertThat(s.next(T0, 10))
        .containsExactly(T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(3)), T0.plus(Duration.ofHours(4)));
    assertThat(s.next(T0.plus(Duration.ofHours(4)))).isEmpty();
  }

  @Test
  void argsAreFixedOrBuiltPerOccurrence() {
    Schedule fixed = Schedule.builder("s", "q", ScheduleSpec.parse("@hourly")).args(Map.of("a", 1)).build();
    assertThat(fixed.argsFor(T0)).isEqualTo(Map.of("a", 1));
    assertThat(fixed.fixedArgs()).contains(Map.of("a", 1));
    Schedule built = fixed.toBuilder().argsFrom(at -> Map.of("day", at.toString())).build();
    assertThat(built.argsFor(T0)).isEqualTo(Map.of("day", "2026-06-01T00:00:00Z"));
    assertThat(built.fixedArgs()).isEmpty();
    assertThat(built.name()).isEqualTo("s");
  }

  @Test
  void policiesReadTheirText() {
    assertThat(MissedRunPolicy.parse("skip")).isEqualTo(MissedRunPolicy.skip());
    assertThat(MissedRunPolicy.parse("RUN_ONCE")).isEqualTo(MissedRunPolicy.runOnce());
    assertThat(MissedRunPolicy.parse("catch_up 6h")).isEqualTo(MissedRunPolicy.catchUp(Duration.ofHours(6)));
    assertThat(MissedRunPolicy.catchUp(Duration.ofMinutes(90)).text()).isEqualTo("catch_up 1h30m");
    assertThatThrownBy(() -> MissedRunPolicy.parse("catchup"))
        .isInstanceOf(InvalidScheduleException.class)
        .hasMessage("missed-run policy 'catchup' is not one of: skip, run_once, catch_up <window> (such as catch_up 6h)");
    assertThatThrownBy(() -> MissedRunPolicy.parse("catch_up soon"))
        .isInstanceOf(InvalidScheduleException.class)
        .hasMessageStartingWith("catch_up window 'soon' is not a period");
    assertThatThrownBy(() -> MissedRunPolicy.catchUp(Duration.ZERO))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage("catch_up window must be positive and at most 36525 days (100 years), was PT0S");
    assertThatThrownBy(() -> OverlapPolicy.parse("buffer_all"))
        .isInstanceOf(InvalidScheduleException.class)
        .hasMessage("overlap policy 'buffer_all' is not one of: skip, queue_one, allow, cancel_previous");
  }

  @Test
  void badSettingsAreRefusedByName() {
    ScheduleSpec daily = ScheduleSpec.parse("@daily");
    assertThatThrownBy(() -> Schedule.builder("no spaces", "q", daily).build())
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("schedule name must be 1-64 of letters");
    assertThatThrownBy(() -> Schedule.builder("s", " ", daily).build())
        .hasMessageStartingWith("schedule s queue must be a queue name");
    assertThatThrownBy(() -> Schedule.builder("s", "q", daily).jitter(Duration.ofSeconds(-1)).build())
        .hasMessage("schedule s jitter must be zero or positive and at most 36525 days (100 years), was PT-1S");
    assertThatThrownBy(() -> Schedule.builder("s", "q", daily).start(T0).end(T0).build())
        .hasMessage("schedule s end must be after its start 2026-06-01T00:00:00Z, was 2026-06-01T00:00:00Z");
    assertThatThrownBy(() -> Schedule.builder("s", "q", null).build()).hasMessageContaining("spec");
  }
}
