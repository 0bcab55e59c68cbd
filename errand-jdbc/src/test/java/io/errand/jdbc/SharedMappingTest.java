package io.errand.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.InvalidTaskException;
import io.errand.api.Page;
import io.errand.api.TaskError;
import io.errand.api.TaskStatus;
import io.errand.spi.Claim;
import io.errand.spi.NewTask;
import io.errand.spi.Outcome;
import io.errand.spi.PayloadLimit;
import io.errand.spi.StoredErrors;
import io.errand.spi.StoredKey;
import io.errand.spi.TaskRecord;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.Point;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces both SQL stores share, without a database: mapping, paging, payload checks. */
class SharedMappingTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final JsonTestCodec codec = new JsonTestCodec(Map.of("points", Point.class));
  private final Payloads payloads = new Payloads(new PayloadLimit(codec, 40, "Test maxBytes"));

  @Test
  void aFailedRowsResponseIsItsLastErrorAndItsPreviousResultIsDecoded() {
    TaskError first = new TaskError(1, "java.io.IOException", "one", T0);
    TaskError last = new TaskError(2, "java.io.IOException", "two", T0);
    String errors = "[" + StoredErrors.encode(first) + "," + StoredErrors.encode(last) + "]";
    StoredTask row = row(7, "points", TaskStatus.FAILURE, "{\"x\":1,\"y\":2}", errors,
        "{\"sum\":3}");

    TaskRecord rec = row.toRecord(codec);

    assertThat(rec.info().args()).isEqualTo(new Point(1, 2));
    assertThat(rec.info().errors()).containsExactly(first, last);
    assertThat(rec.info().response()).isEqualTo(last);
    assertThat(rec.previousResult()).isEqualTo(Map.of("sum", 3));
    assertThat(rec.next()).isEqualTo(8);
  }

  @Test
  void pagingCutsTheExtraRowAndPointsTheCursorAtTheLastShown() {
    List<StoredTask> rows = new ArrayList<>();
    for (long id = 10; id > 6; id--) {
      rows.add(row(id, "q", TaskStatus.WAITING, "1", null, null));
    }

    Page<TaskRecord> full = Paging.page(rows, 3, codec);
    Page<TaskRecord> last = Paging.page(rows.subList(0, 3), 3, codec);

    assertThat(full.items()).extracting(TaskRecord::id).containsExactly(10L, 9L, 8L);
    assertThat(full.nextCursor()).isEqualTo(8);
    assertThat(last.nextCursor()).isZero();
    assertThat(Paging.page(List.of(), 3, codec).items()).isEmpty();
  }

  @Test
  void unreadableArgumentsFailTheirTaskAndTheClaimGoesOnToTheNext() {
    StoredTask bad = row(1, "points", TaskStatus.RUNNING, "\"not a point\"", null, null);
    StoredTask good = row(2, "points", TaskStatus.RUNNING, "{\"x\":1,\"y\":1}", null, null);
    List<String> failed = new ArrayList<>();

    Claim claim = UnreadableArgs.runnable(bad, codec, () -> good,
        (row, error, message) -> failed.add(row.id() + ": " + error.type() + ": " + message),
        T0);

    assertThat(claim).isInstanceOf(Claim.Claimed.class);
    assertThat(((Claim.Claimed) claim).record().id()).isEqualTo(2);
    assertThat(failed).singleElement().asString()
        .startsWith("1: ").contains("the stored arguments of task 1 cannot be read");
    assertThat(UnreadableArgs.runnable(null, codec, () -> good, (r, e, m) -> { }, T0))
        .isEqualTo(Claim.NONE_DUE);
  }

  @Test
  void aResultTooLargeToKeepFailsTheTaskNamingItsSizeAndTheLimit() {
    EncodedEnd end = EncodedEnd.of(5, 1, new Outcome.Succeeded("x".repeat(100)), T0,
        payloads.limit());

    assertThat(end.outcome()).isInstanceOf(Outcome.Failed.class);
    assertThat(end.result()).isNull();
    assertThat(end.message()).contains("the result of task 5 is 102 bytes")
        .contains("limit of 40 bytes (Test maxBytes)");
    assertThat(((Outcome.Failed) end.outcome()).error().type())
        .isEqualTo(InvalidTaskException.class.getName());
    assertThat(EncodedEnd.of(5, 1, new Outcome.Succeeded(3), T0, payloads.limit()).result())
        .isEqualTo("3");
  }

  @Test
  void payloadRefusalsNameWhatWasRefused() {
    String big = "x".repeat(100);

    assertThatThrownBy(() -> payloads.args(task("mail", big, null)))
        .hasMessageStartingWith("the arguments of a task of queue 'mail' is 102 bytes");
    assertThatThrownBy(() -> payloads.previousResult(9, big))
        .hasMessageStartingWith("the previous result handed to task 9 is");
    assertThatThrownBy(() -> payloads.keyArgs(new StoredKey("sup", "k", big, false)))
        .hasMessageStartingWith("the arguments of key 'k' of supervisor 'sup' is");
    assertThatThrownBy(() -> payloads.groupArgs(List.of(task("mail", 1, null),
        task("mail", 2, "k1"))))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessage("tasks of a batch or chain cannot have a key, but one has key 'k1'");
    assertThat(payloads.groupArgs(List.of(task("mail", 1, null), task("mail", "two", null))))
        .containsExactly("1", "\"two\"");
  }

  private static NewTask task(String queue, Object args, String key) {
    return new NewTask(queue, 0, args, T0, T0, 0, key, 100);
  }

  private static StoredTask row(long id, String queue, TaskStatus status, String args,
      String errors, String previousResult) {
    return new StoredTask(id, queue, status, 0, 0, null, null, args, 1, errors, T0, T0, null, T0,
        null, 0, 3, null, false, "node-a", id + 1, previousResult);
  }
}
