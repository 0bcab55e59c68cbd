package io.errand.http;

import static io.errand.http.ApiTasksTest.expectError;
import static io.errand.http.ApiTasksTest.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Times, ids and filters at and past their edges: a clear 400 naming what to send, never a 500,
 * and never a second spelling of an id acting on a task.
 */
class ApiInputRangesTest {
  private static final String TASKS = "/api/queues/work/tasks";

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"memory", "sqlite"})
  void farTimesAre400NamingTheFieldAndTheRangeAndTheEdgesAreTaken(String storeKind) {
    try (Fixture f = new Fixture(null, b -> b,
        storeKind.equals("sqlite") ? SqliteStore.at(dir.resolve("t.db")) : null)) {
      for (String delay : List.of("9223372036854775807", "\"106751991d\"",
          "\"1000000000000000000000ms\"", "\"36526d\"", "100000000000000000000000",
          "\"PT876601H\"")) {
        expectError(f.http.post(TASKS, "{\"args\": 1, \"delay\": " + delay + "}"), 400,
            "invalid_body", "field 'delay' must be from 0 to 36525 days (100 years), got ");
      }
      for (String runAt : List.of("+300000-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
          "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "1969-12-31T23:59:59Z")) {
        expectError(f.http.post(TASKS, "{\"args\": 1, \"run_at\": \"" + runAt + "\"}"), 400,
            "invalid_body", "field 'run_at' must be from 1970-01-01T00:00:00Z to"
                + " 9999-12-31T23:59:59.999999Z, got a string (\"" + runAt + "\")");
      }
      assertThat(f.http.get("/api/tasks").json().get("tasks")).isEmpty();

      long longest = submitted(f.http.post(TASKS, "{\"args\": 1, \"delay\": \"36525d\"}"));
      long latest = submitted(f.http.post(TASKS,
          "{\"args\": 2, \"run_at\": \"9999-12-31T23:59:59.999999Z\"}"));
      long earliest = submitted(f.http.post(TASKS,
          "{\"args\": 3, \"run_at\": \"1970-01-01T00:00:00Z\"}"));
      assertThat(f.awaitFinished(earliest).status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(f.http.get("/api/tasks/" + latest).json().get("run_at").asText())
          .isEqualTo("9999-12-31T23:59:59.999999Z");
      assertThat(f.errand.get(longest).map(TaskInfo::status)).contains(TaskStatus.WAITING);
      assertThat(f.http.get("/api/health").status()).isEqualTo(200);
    }
  }

  @Test
  void idsAreAsciiDigitsWithoutSignOrLeadingZeroAndNoOtherSpellingActsOnATask() {
    try (Fixture f = new Fixture()) {
      long id = 0;
      while (id < 12) {
        id = submitted(f.http.post("/api/queues/other/tasks",
            "{\"args\": 1, \"delay\": \"1d\"}"));
      }
      long one = 1;
      // "１２" (full-width), "١٢" (Arabic-Indic), "+1", "01", and the like
      for (String spelling : List.of("%EF%BC%91%EF%BC%92", "%D9%A1%D9%A2", "%E0%A5%A7%E0%A5%A8",
          "+1", "%2B1", "01", "012", "00", "1.0", "1e1", "%201", "1%20", "12abc")) {
        expectError(f.http.get("/api/tasks/" + spelling), 400, "invalid_id",
            "ids are positive whole numbers in ASCII digits, without sign or leading zero");
        expectError(f.http.delete("/api/tasks/" + spelling), 400, "invalid_id", "not a task id");
        expectError(f.http.post("/api/tasks/" + spelling + "/cancel", ""), 400, "invalid_id",
            "not a task id");
        expectError(f.http.post("/api/tasks/" + spelling + "/retry", ""), 400, "invalid_id",
            "not a task id");
        expectError(f.http.post("/api/tasks/" + spelling + "/progress", "{\"current\": 1}"),
            400, "invalid_id", "not a task id");
        expectError(f.http.get("/api/batches/" + spelling), 400, "invalid_id",
            "without sign or leading zero");
      }
      assertThat(f.errand.get(one).map(TaskInfo::status)).contains(TaskStatus.WAITING);
      assertThat(f.errand.get(12).map(TaskInfo::status)).contains(TaskStatus.WAITING);
      assertThat(f.http.get("/api/tasks/12").status()).isEqualTo(200);
      expectError(f.http.get("/api/tasks/9223372036854775808"), 400, "invalid_id",
          "not a task id");
    }
  }

  @Test
  void anEmptyOrMisspelledFilterIs400NamingTheParameter() {
    try (Fixture f = new Fixture()) {
      for (String name : List.of("queue", "status", "limit", "cursor")) {
        expectError(f.http.get("/api/tasks?" + name + "="), 400, "invalid_query",
            "query parameter '" + name + "' is empty");
      }
      expectError(f.http.get("/api/tasks?queue=other&status="), 400, "invalid_query",
          "'status' is empty");
      for (String name : List.of("queue", "task")) {
        expectError(f.http.get("/api/events?" + name + "="), 400, "invalid_query",
            "query parameter '" + name + "' is empty");
      }
      for (String spelling : List.of("%2B1", "01", "%EF%BC%91", "%D9%A1", "0x1")) {
        expectError(f.http.get("/api/events?task=" + spelling), 400, "invalid_query",
            "query parameter 'task' must be a whole number from 1 to");
        expectError(f.http.get("/api/tasks?limit=" + spelling), 400, "invalid_query",
            "query parameter 'limit' must be a whole number from 1 to 1000");
        expectError(f.http.get("/api/tasks?cursor=" + spelling), 400, "invalid_query",
            "query parameter 'cursor' must be a whole number from 0 to");
      }
      assertThat(f.http.get("/api/tasks?queue=other&limit=5&cursor=0").status()).isEqualTo(200);
    }
  }
}
