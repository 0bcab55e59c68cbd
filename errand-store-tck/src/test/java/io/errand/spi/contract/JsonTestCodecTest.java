package io.errand.spi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract's codec itself: what it writes, it reads back. */
class JsonTestCodecTest {
  private final JsonTestCodec codec = new JsonTestCodec(Map.of("points", Point.class));

  @Test
  void argumentsOfATypedQueueComeBackAsTheirType() {
    assertThat(codec.decodeArgs("points", codec.encode(new Point(1, 2))))
        .isEqualTo(new Point(1, 2));
  }

  @Test
  void otherArgumentsAndResultsComeBackAsPlainJsonValues() {
    assertThat(codec.decodeArgs("q", codec.encode("text"))).isEqualTo("text");
    assertThat(codec.decodeArgs("q", codec.encode(42))).isEqualTo(42);
    assertThat(codec.decodeResult(codec.encode(new Point(3, 4))))
        .isEqualTo(Map.of("x", 3, "y", 4));
    assertThat(codec.decodeResult(codec.encode(List.of(1, "a")))).isEqualTo(List.of(1, "a"));
  }

  @Test
  void nullStaysNull() {
    assertThat(codec.encode(null)).isNull();
    assertThat(codec.decodeArgs("points", null)).isNull();
    assertThat(codec.decodeResult(null)).isNull();
  }
}
