package io.errand.http;

import static io.errand.http.ApiTasksTest.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/bulk} over a filter in parts: each request acts on at most its
 * {@code limit} tasks and answers the cursor to go on from, until 0; the count is confirmed
 * once, on the first request.
 */
class ApiBulkPagingTest {
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
  void aFilteredRetryGoesOnFromEachCursorUntilEveryTaskWasWalkedOnce() {
    List<Long> failed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      failed.add(f.submit("work", "{\"fail\": true, \"tag\": \"paged\"}"));
    }
    failed.forEach(f::awaitFinished);
    String filter = "{\"status\": \"FAILURE\", \"q\": \"paged\"}";

    JsonNode first = http.post("/api/bulk", "{\"action\": \"retry\", \"filter\": " + filter
        + ", \"expected\": 5, \"limit\": 2}").json();
    assertThat(first.get("done").asLong()).isEqualTo(2);
    long cursor = first.get("next_cursor").asLong();
    assertThat(cursor).isEqualTo(failed.get(3));

    long done = 2;
    int requests = 1;
    while (cursor != 0) {
      // No "expected" after the first: the walk was confirmed; retried tasks are newer than
      // the cursor, so they are never met again.
      JsonNode next = http.post("/api/bulk", "{\"action\": \"retry\", \"filter\": " + filter
          + ", \"cursor\": " + cursor + ", \"limit\": 2}").json();
      done += next.get("done").asLong();
      cursor = next.get("next_cursor").asLong();
      requests++;
    }
    assertThat(done).isEqualTo(5);
    assertThat(requests).isEqualTo(3);
    Awaitility.await().until(() -> http.get("/api/search/count?status=FAILURE&q=paged").json()
        .get("count").asLong() == 10);
  }

  @Test
  void aWalkWithoutAFilterOrWithABadCursorIsRefused() {
    expectError(http.post("/api/bulk", "{\"action\": \"delete\", \"ids\": [1], \"cursor\": 5}"),
        400, "invalid_body", "'cursor' and 'limit' go with a 'filter'");
    expectError(http.post("/api/bulk", "{\"action\": \"delete\", \"filter\": {}, \"cursor\": 0}"),
        400, "invalid_body", "cursor");
    expectError(http.post("/api/bulk", "{\"action\": \"delete\", \"filter\": {}, \"expected\": 1,"
        + " \"limit\": 50001}"), 400, "invalid_body", "limit");
    JsonNode none = http.post("/api/bulk", "{\"action\": \"delete\", \"filter\": {\"queue\":"
        + " \"other\"}, \"expected\": 0}").json();
    assertThat(none.get("next_cursor").asLong()).isZero();
    assertThat(none.get("matched").asLong()).isZero();
  }
}
