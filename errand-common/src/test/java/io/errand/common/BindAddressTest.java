package io.errand.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BindAddressTest {

  @Test
  void loopbackAddressesAreDecidedWithoutALookup() {
    assertThat(BindAddress.isLoopback("127.0.0.1")).isTrue();
    assertThat(BindAddress.isLoopback("127.9.8.7")).isTrue();
    assertThat(BindAddress.isLoopback("localhost")).isTrue();
    assertThat(BindAddress.isLoopback("[::1]")).isTrue();
    assertThat(BindAddress.isLoopback("0.0.0.0")).isFalse();
    assertThat(BindAddress.isLoopback("10.1.2.3")).isFalse();
    assertThat(BindAddress.isLoopback("example.internal")).isFalse();
  }

  @Test
  void badAddressesAreRefusedShowingThem() {
    assertThatThrownBy(() -> BindAddress.isLoopback("300.1.1.1"))
        .hasMessage("is not a valid IP address: '300.1.1.1'");
    assertThatThrownBy(() -> BindAddress.isLoopback("no spaces"))
        .hasMessageContaining("was 'no spaces'");
    assertThatThrownBy(() -> BindAddress.isLoopback("")).hasMessageContaining("was empty");
  }

  @Test
  void aTokenIsRequiredOnlyBeyondThisMachine() {
    assertThat(BindAddress.tokenProblem("server.bind", "127.0.0.1", false)).isEmpty();
    assertThat(BindAddress.tokenProblem("server.bind", "0.0.0.0", true)).isEmpty();
    assertThat(BindAddress.tokenProblem("server.bind", "0.0.0.0", false)).hasValueSatisfying(
        p -> assertThat(p).startsWith("is required when server.bind is '0.0.0.0', which is not"
            + " a loopback address"));
  }
}
