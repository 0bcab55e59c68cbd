package io.errand.engine;

import static io.errand.engine.OverlapDecision.Previous.LIVE;
import static io.errand.engine.OverlapDecision.Previous.LIVE_WITH_ONE_HELD;
import static io.errand.engine.OverlapDecision.Previous.NONE_LIVE;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.OverlapPolicy;
import org.junit.jupiter.api.Test;

/** The overlap decision for every policy and every state of the earlier runs. */
class OverlapDecisionTest {

  @Test
  void withNothingLiveEveryPolicySubmits() {
    for (OverlapPolicy p : OverlapPolicy.values()) {
      assertThat(OverlapDecision.decide(p, NONE_LIVE)).as(p.text()).isEqualTo(OverlapDecision.SUBMIT);
    }
  }

  @Test
  void skipSkipsWhileARunIsLive() {
    assertThat(OverlapDecision.decide(OverlapPolicy.SKIP, LIVE)).isEqualTo(OverlapDecision.SKIP);
    assertThat(OverlapDecision.decide(OverlapPolicy.SKIP, LIVE_WITH_ONE_HELD)).isEqualTo(OverlapDecision.SKIP);
  }

  @Test
  void queueOneHoldsOneAndSkipsTheNext() {
    assertThat(OverlapDecision.decide(OverlapPolicy.QUEUE_ONE, LIVE))
        .isEqualTo(OverlapDecision.HOLD_UNTIL_PREVIOUS_ENDS);
    assertThat(OverlapDecision.decide(OverlapPolicy.QUEUE_ONE, LIVE_WITH_ONE_HELD))
        .isEqualTo(OverlapDecision.SKIP);
  }

  @Test
  void allowAlwaysSubmits() {
    assertThat(OverlapDecision.decide(OverlapPolicy.ALLOW, LIVE)).isEqualTo(OverlapDecision.SUBMIT);
    assertThat(OverlapDecision.decide(OverlapPolicy.ALLOW, LIVE_WITH_ONE_HELD)).isEqualTo(OverlapDecision.SUBMIT);
  }

  @Test
  void cancelPreviousCancelsAndHoldsTheNewest() {
    assertThat(OverlapDecision.decide(OverlapPolicy.CANCEL_PREVIOUS, LIVE))
        .isEqualTo(OverlapDecision.CANCEL_PREVIOUS_THEN_HOLD);
    assertThat(OverlapDecision.decide(OverlapPolicy.CANCEL_PREVIOUS, LIVE_WITH_ONE_HELD))
        .isEqualTo(OverlapDecision.CANCEL_PREVIOUS_THEN_HOLD);
  }

  @Test
  void policiesReadTheirNames() {
    for (OverlapPolicy p : OverlapPolicy.values()) {
      assertThat(OverlapPolicy.parse(p.text())).isEqualTo(p);
    }
    assertThat(OverlapPolicy.parse(" Queue_One ")).isEqualTo(OverlapPolicy.QUEUE_ONE);
  }
}
