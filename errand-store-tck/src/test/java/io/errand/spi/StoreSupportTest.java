package io.errand.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.InvalidTaskException;
import io.errand.api.TaskError;
import io.errand.api.TaskStatus;
import io.errand.spi.contract.JsonTestCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The helpers stores that keep JSON share: payload limits, stored errors, the codec's reading of
 * a stored task, the signal queue.
 */
class StoreSupportTest {
  @Test
  void aPayloadOverTheLimitIsRefusedNamingItsSizeTheLimitAndTheOption() {
    PayloadLimit limit = new PayloadLimit(new JsonTestCodec(Map.of()), 16, "TestStore maxBytes");

    assertThat(limit.encode("short", "the arguments")).isEqualTo("\"short\"");
    assertThat(limit.encode(null, "the arguments")).isNull();
    assertThatThrownBy(() -> limit.encode("a string that is far too long", "the arguments"))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessage("the arguments is 31 bytes as JSON, more than the store's limit of 16 bytes"
            + " (TestStore maxBytes); keep large data elsewhere and pass a reference to it");
    assertThat(limit.tooLarge("\"ééééééééé\"", "the result")).contains("20 bytes"); // UTF-8
    assertThatThrownBy(() -> new PayloadLimit(new JsonTestCodec(Map.of()), 0, "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
  }

  @Test
  void storedErrorsReadBackAsWritten() {
    TaskError first = new TaskError(1, "java.io.IOException", "refused \"quoted\"",
        Instant.parse("2026-01-02T03:04:05.123456Z"));
    TaskError second = new TaskError(2, "timeout", "timed out after 5s",
        Instant.parse("1969-12-31T23:59:59.999999Z")); // before the epoch: floor, not truncate
    String array = "[" + StoredErrors.encode(first) + "," + StoredErrors.encode(second) + "]";

    assertThat(StoredErrors.decode(array)).containsExactly(first, second);
    assertThat(StoredErrors.decode(null)).isEmpty();
    assertThat(StoredErrors.encode(null)).isNull();
    assertThatThrownBy(() -> StoredErrors.decode("[{\"attempt\": 1}]"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot be read");
  }

  @Test
  void theSignalQueueRaisesInOrderOnItsOwnThreadAndOutlivesAFailingSignal() {
    List<String> raised = Collections.synchronizedList(new ArrayList<>());
    Thread caller = Thread.currentThread();
    try (SignalQueue queue = new SignalQueue("test-signals")) {
      queue.raise(() -> raised.add("a:" + (Thread.currentThread() != caller)));
      queue.raise(() -> {
        throw new IllegalStateException("a callback failed");
      });
      queue.raiseAll(List.of(() -> raised.add("b"), () -> raised.add("c")));
    } // close raises what was queued first

    assertThat(raised).containsExactly("a:true", "b", "c");
  }

  record Point(int x, int y) {}

  @Test
  void argumentsThatNoLongerReadAsTheirTypeAreShownAsPlainJson() {
    PayloadCodec codec = new JsonTestCodec(Map.of("points", Point.class));

    assertThat(codec.decodeArgsToShow("points", "{\"x\": 1, \"y\": 2}"))
        .isEqualTo(new Point(1, 2));
    assertThat(codec.decodeArgsToShow("points", "[1, 2]")).isEqualTo(List.of(1, 2));
  }

  @Test
  void aStoredTaskAnswersItsResultItsLastErrorOrNothing() {
    PayloadCodec codec = new JsonTestCodec(Map.of());
    TaskError last = new TaskError(2, "boom", "second", Instant.parse("2026-01-01T00:00:00Z"));
    List<TaskError> errors = List.of(new TaskError(1, "boom", "first", Instant.EPOCH), last);

    assertThat(codec.decodeResponse(TaskStatus.SUCCESS, "{\"n\": 1}", List.of()))
        .isEqualTo(Map.of("n", 1));
    assertThat(codec.decodeResponse(TaskStatus.FAILURE, null, errors)).isEqualTo(last);
    assertThat(codec.decodeResponse(TaskStatus.FAILURE, null, List.of())).isNull();
    assertThat(codec.decodeResponse(TaskStatus.CANCELLED, null, errors)).isNull();
    assertThat(codec.decodeResponse(TaskStatus.RUNNING, null, List.of())).isNull();
  }
}
