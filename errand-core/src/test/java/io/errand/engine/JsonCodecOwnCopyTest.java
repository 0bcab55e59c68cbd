package io.errand.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The codec skips the JSON copy only where the copy would be equal and of the same class: each
 * shortcut is checked against a real write and read of JSON.
 */
class JsonCodecOwnCopyTest {
  private final ObjectMapper mapper = new ObjectMapper();

  record Point(int x, int y) {}

  @Test
  void everyValueTakenAsItsOwnCopyComesBackEqualAndOfItsClassThroughJson() throws Exception {
    List<Object[]> own = List.of(
        new Object[] {"text", String.class}, new Object[] {"text", Object.class},
        new Object[] {true, Boolean.class}, new Object[] {false, Object.class},
        new Object[] {42, Integer.class}, new Object[] {7L, Long.class},
        new Object[] {Long.MAX_VALUE, Long.class});
    for (Object[] c : own) {
      assertThat(JsonCodec.isOwnCopy(c[0], (Class<?>) c[1])).as("%s as %s", c[0], c[1]).isTrue();
      Object back = mapper.readValue(mapper.writeValueAsString(c[0]), (Class<?>) c[1]);
      assertThat(back).isEqualTo(c[0]).hasSameClassAs(c[0]);
    }
  }

  @Test
  void numbersOfAnUntypedQueueAndMutableOrRecordValuesAreCopied() throws Exception {
    assertThat(JsonCodec.isOwnCopy(7L, Object.class)).isFalse();
    assertThat(mapper.readValue(mapper.writeValueAsString(7L), Object.class))
        .isInstanceOf(Integer.class); // why: untyped, a small long would come back an Integer
    assertThat(JsonCodec.isOwnCopy(42, Object.class)).isFalse();
    assertThat(JsonCodec.isOwnCopy(new Point(1, 2), Point.class)).isFalse();
    assertThat(JsonCodec.isOwnCopy(Map.of("a", 1), Object.class)).isFalse();
    assertThat(JsonCodec.isOwnCopy(42, Long.class)).isFalse();
  }

  @Test
  void aCodecHandsBackTheSameStringButACopyOfARecord() {
    JsonCodec codec = new JsonCodec(mapper, q -> q.equals("p") ? Point.class : String.class,
        q -> Object.class, q -> false);
    String text = new String("hello");
    Point p = new Point(1, 2);

    assertThat(codec.copyArgs("s", text)).isSameAs(text);
    Object copied = codec.copyArgs("p", p);
    assertThat(copied).isEqualTo(p).isNotSameAs(p);
  }
}
