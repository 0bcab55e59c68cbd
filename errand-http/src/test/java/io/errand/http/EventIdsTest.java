package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The stream's ids: a run's name on one node, bare numbers in a cluster, and what each reads. */
class EventIdsTest {
  @Test
  void aNodeOfItsOwnNamesEachRunAndResumesOnlyIdsOfItsOwnRun() {
    EventIds run = EventIds.newRun();
    EventIds next = EventIds.newRun();
    assertThat(run.run()).matches("[0-9a-z]{10}").isNotEqualTo(next.run());
    assertThat(run.text(42)).isEqualTo(run.run() + "-42");

    assertThat(run.resume(null)).isEqualTo(new EventIds.Live());
    assertThat(run.resume(" ")).isEqualTo(new EventIds.Live());
    assertThat(run.resume(run.text(42))).isEqualTo(new EventIds.After(42));
    assertThat(run.resume(" " + run.text(0) + " ")).isEqualTo(new EventIds.After(0));
    assertThat(run.resume(next.text(42))).isEqualTo(new EventIds.OtherRun(next.text(42)));
    assertThat(run.resume("42")).as("a bare number: a server before runs were named")
        .isEqualTo(new EventIds.OtherRun("42"));
  }

  @Test
  void aClusterResumesItsLogsNumbersAndNoRunsId() {
    EventIds cluster = EventIds.cluster();
    assertThat(cluster.text(42)).isEqualTo("42");
    assertThat(cluster.resume("42")).isEqualTo(new EventIds.After(42));
    String ofANode = EventIds.newRun().text(42);
    assertThat(cluster.resume(ofANode)).isEqualTo(new EventIds.OtherRun(ofANode));
  }

  @Test
  void anythingElseIsRefusedNamingWhatIsAllowed() {
    EventIds run = EventIds.newRun();
    for (String bad : new String[] {"soon", "-1", "Abc-1", "abc-", "abc-1-2", "abc--1",
        "99999999999999999999", "abc-99999999999999999999"}) {
      assertThatThrownBy(() -> run.resume(bad)).as(bad).isInstanceOf(ApiException.class)
          .hasMessageContaining("<run>-<number>").hasMessageContaining("'" + bad + "'")
          .satisfies(e -> assertThat(((ApiException) e).code())
              .isEqualTo("invalid_last_event_id"));
    }
  }
}
