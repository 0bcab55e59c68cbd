package io.errand.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenStateTest {
  private final OpenState<String> state = new OpenState<>("the test store", "make another");

  @Test
  void refusesUseBeforeOpenNamingTheStore() {
    assertThatThrownBy(state::get).isInstanceOf(IllegalStateException.class)
        .hasMessage("the test store is not open yet");
    assertThat(state.orNull()).isNull();
  }

  @Test
  void publishesWhatOpenMadeAndRefusesASecondOpen() {
    assertThat(state.open(() -> "db")).isEqualTo("db");

    assertThat(state.get()).isEqualTo("db");
    assertThatThrownBy(() -> state.open(() -> "again"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the test store was opened already; make another");
    assertThat(state.get()).isEqualTo("db");
  }

  @Test
  void aFailedOpenLeavesItUnopenedAndOpenableAgain() {
    assertThatThrownBy(() -> state.open(() -> {
      throw new IllegalStateException("no database");
    })).hasMessage("no database");

    assertThat(state.open(() -> "db")).isEqualTo("db");
  }

  @Test
  void closeReleasesOnceAndRefusesUseAfter() {
    List<String> released = new ArrayList<>();
    state.open(() -> "db");

    state.close(released::add);
    state.close(released::add); // harmless twice

    assertThat(released).containsExactly("db");
    assertThatThrownBy(state::get).isInstanceOf(IllegalStateException.class)
        .hasMessage("the test store is closed");
    assertThatThrownBy(() -> state.open(() -> "again"))
        .hasMessage("the test store was opened already; make another");
    assertThat(state.orNull()).isEqualTo("db");
  }

  @Test
  void closeBeforeOpenReleasesNothingAndRefusesTheOpen() {
    List<String> released = new ArrayList<>();

    state.close(released::add);

    assertThat(released).isEmpty();
    assertThatThrownBy(() -> state.open(() -> "db")).isInstanceOf(IllegalStateException.class);
  }
}
