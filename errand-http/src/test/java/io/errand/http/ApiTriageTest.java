package io.errand.http;

import static io.errand.http.ApiTasksTest.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.api.TaskStatus;
import io.errand.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors in a task's detail, {@code /api/search}, {@code /api/search/count},
 * {@code /api/failures} and {@code POST /api/bulk}, on a SQLite store: the searches run in SQL.
 */
class ApiTriageTest {
  @TempDir
  Path dir;
  private Fixture f;
  private Http http;

  @BeforeEach
  void start() {
    f = new Fixture(null, b -> b, SqliteStore.at(dir.resolve("errand.db")));
    http = f.http;
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void aFailedTasksDetailShowsItsErrorWithTraceCausesAndOutput() {
    long id = f.submit("work", "{\"fail\": true}");
    f.awaitFinished(id);

    JsonNode e = http.get("/api/tasks/" + id).json().get("errors").get(0);
    assertThat(e.get("type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(e.get("message").asText()).isEqualTo("asked to fail");
    assertThat(e.get("causes").isArray()).isTrue();
    assertThat(e.get("trace").asText())
        .startsWith("java.lang.IllegalStateException: asked to fail").contains("\tat ");
    assertThat(e.get("output").asText()).isEmpty();
  }

  @Test
  void searchFindsTasksByTextInArgsAndErrorsAndCountsThem() {
    List<Long> failed = submitFailed(3, "nightly-import");
    long other = f.submit("other", "{\"job\": \"nightly-IMPORT\"}");
    f.awaitFinished(other);
    f.submit("other", "{\"job\": \"hourly\"}");

    JsonNode page = http.get("/api/search?q=nightly-import&limit=2").json();
    assertThat(ids(page.get("tasks"))).containsExactly(other, failed.get(2));
    long cursor = page.get("next_cursor").asLong();
    assertThat(ids(http.get("/api/search?q=nightly-import&limit=2&cursor=" + cursor).json()
        .get("tasks"))).containsExactly(failed.get(1), failed.get(0));
    assertThat(http.get("/api/search/count?q=nightly-import").json().get("count").asLong())
        .isEqualTo(4);
    assertThat(http.get("/api/search/count?q=asked%20to%20fail&queue=work").json().get("count")
        .asLong()).isEqualTo(3);
    assertThat(ids(http.get("/api/search?q=" + other).json().get("tasks"))).contains(other);
    assertThat(http.get("/api/search/count?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z")
        .json().get("count").asLong()).isZero();
  }

  @Test
  void failuresAreGroupedByErrorWithCounts() {
    submitFailed(4, "a");
    long succeeded = f.submit("other", "1");
    f.awaitFinished(succeeded);

    JsonNode groups = http.get("/api/failures").json().get("groups");
    assertThat(groups).hasSize(1);
    assertThat(groups.get(0).get("type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(groups.get(0).get("message").asText()).isEqualTo("asked to fail");
    assertThat(groups.get(0).get("count").asLong()).isEqualTo(4);
    assertThat(groups.get(0).get("latest_at").isTextual()).isTrue();
    assertThat(http.get("/api/failures?queue=other").json().get("groups")).isEmpty();
  }

  @Test
  void bulkRetryOfAFilteredSetRunsEachAgainOnlyWithTheConfirmedCount() {
    submitFailed(5, "batch-7");
    submitFailed(2, "batch-8");
    String filter = "{\"status\": \"FAILURE\", \"q\": \"batch-7\"}";

    expectError(http.post("/api/bulk", "{\"action\": \"retry\", \"filter\": " + filter
        + ", \"expected\": 4}"), 409, "count_changed", "5 tasks match");
    assertThat(count("status=FAILURE&q=batch-7")).as("nothing was done").isEqualTo(5);

    JsonNode r = http.post("/api/bulk", "{\"action\": \"retry\", \"filter\": " + filter
        + ", \"expected\": 5}").json();
    assertThat(r.get("done").asLong()).isEqualTo(5);
    assertThat(r.get("skipped").asLong()).isZero();
    org.awaitility.Awaitility.await().until(() -> count("status=FAILURE&q=batch-7") == 10);
    assertThat(count("status=FAILURE&q=batch-8")).isEqualTo(2);
  }

  @Test
  void bulkCancelAndDeleteActOnASelectionAndSkipWhatTheyDoNotApplyTo() {
    long live = f.submit("work", "{\"gate\": \"bulk\"}");
    f.awaitStatus(live, TaskStatus.RUNNING);
    long finished = f.submit("other", "{\"n\": 1}");
    f.awaitFinished(finished);

    JsonNode cancel = http.post("/api/bulk", "{\"action\": \"cancel\", \"ids\": [" + live + ", "
        + finished + ", 999999]}").json();
    assertThat(cancel.get("done").asLong()).isEqualTo(1);
    assertThat(cancel.get("skipped").asLong()).isEqualTo(2);
    assertThat(f.awaitFinished(live).status()).isEqualTo(TaskStatus.CANCELLED);

    JsonNode delete = http.post("/api/bulk", "{\"action\": \"delete\", \"filter\": {\"queue\":"
        + " \"other\"}, \"expected\": 1}").json();
    assertThat(delete.get("done").asLong()).isEqualTo(1);
    assertThat(http.get("/api/tasks/" + finished).status()).isEqualTo(404);
  }

  @Test
  void badSearchesAndBulkRequestsAreRefusedNamingWhatIsWrong() {
    expectError(http.get("/api/search?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"), 400,
        "invalid_query", "must be before to");
    expectError(http.get("/api/search?from=yesterday"), 400, "invalid_query",
        "query parameter 'from' must be an ISO-8601 time");
    expectError(http.get("/api/search?q=" + "x".repeat(201)), 400, "invalid_query",
        "text must be at most 200 characters");
    expectError(http.post("/api/bulk", "{\"action\": \"retry\", \"ids\": [1], \"filter\": {}}"),
        400, "invalid_body", "not both");
    expectError(http.post("/api/bulk", "{\"action\": \"explode\", \"ids\": [1]}"), 400,
        "invalid_body", "'action' must be one of retry, cancel, delete, got 'explode'");
    expectError(http.post("/api/bulk", "{\"action\": \"retry\", \"filter\": {}}"), 400,
        "invalid_body", "field 'expected' is missing");
    expectError(http.post("/api/bulk", "{\"action\": \"retry\", \"filter\": {\"stat\": 1},"
        + " \"expected\": 1}"), 400, "invalid_body", "unknown field 'stat'");
  }

  private long count(String query) {
    return http.get("/api/search/count?" + query).json().get("count").asLong();
  }

  private List<Long> submitFailed(int n, String tag) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(f.submit("work", "{\"fail\": true, \"tag\": \"" + tag + "\"}"));
    }
    ids.forEach(f::awaitFinished);
    return ids;
  }

  private static List<Long> ids(JsonNode tasks) {
    List<Long> ids = new ArrayList<>();
    tasks.forEach(t -> ids.add(t.get("id").asLong()));
    return ids;
  }
}
