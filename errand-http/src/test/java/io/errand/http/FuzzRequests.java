package io.errand.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Requests for the API's fuzz test, generated from one {@link Random}, so that a seed gives the
 * same requests again: bodies built from the routes' real fields with values at the edges (far
 * times, numbers past a long, wrong types, huge strings), then often mangled as text; ids that
 * are not ASCII digits; query parameters empty, repeated or out of range; wrong methods and
 * media types. Ids of real tasks are only ever read ({@code GET}): every request that acts on a
 * task names it by an id it must refuse, or by one that does not exist, so the tasks made
 * before the flood must come out of it unchanged.
 */
final class FuzzRequests {
  /** One request: where it goes and what it carries (a null content type sends none). */
  record Request(String method, String path, byte[] body, String contentType) {
    @Override
    public String toString() {
      String text = new String(body, StandardCharsets.UTF_8);
      return method + " " + path + " [" + contentType + "] "
          + (text.length() > 300 ? text.substring(0, 300) + "...(" + text.length() + ")" : text);
    }
  }

  private static final List<String> FAR_TIMES = List.of("\"+300000-01-01T00:00:00Z\"",
      "\"+999999999-12-31T23:59:59Z\"", "\"-999999999-01-01T00:00:00Z\"",
      "\"+10000-01-01T00:00:00Z\"", "\"1969-12-31T23:59:59Z\"", "\"0000-01-01T00:00:00Z\"",
      "\"9999-12-31T23:59:59.999999999Z\"", "\"2030-02-30T00:00:00Z\"",
      "\"2030-01-01T00:00:00+18:00\"", "\"2030-01-01T00:00:00+19:00\"", "\"2030-01-01\"");
  private static final List<String> FAR_DURATIONS = List.of("9223372036854775807",
      "-9223372036854775808", "\"106751991d\"", "\"1000000000000000000000ms\"",
      "\"36526d\"", "\"36525d\"", "\"PT9999999999999999H\"", "\"PT-1S\"", "\"P1000000000D\"",
      "\"1e10d\"", "\"9.99999999999e300d\"", "3155760000001", "1e400", "-0", "0.5",
      "\"" + "9".repeat(400) + "h\"");
  private static final List<String> NUMBERS = List.of("0", "-1", "1", "2147483647",
      "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
      "-9223372036854775808", "-9223372036854775809", "1e400", "-1e400", "1.5", "-0", "1E2",
      "4.9e-324", "123456789012345678901234567890", "0.0000000000000000000001");
  private static final List<String> ODD_VALUES = List.of("null", "true", "false", "[]", "{}",
      "[1, 2]", "{\"a\": {\"b\": []}}", "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"",
      "\"１２\"", "\"١٢\"", "\"+1\"", "\"01\"", "\"NaN\"", "\"Infinity\"", "\"<script>\"");
  /** Ids that must never be read as a task's: signs, leading zeros, other scripts' digits. */
  private static final List<String> BAD_IDS = List.of("%EF%BC%91%EF%BC%92", "%D9%A1%D9%A2",
      "%2B1", "+1", "01", "00", "0", "-1", "-0", "1.0", "1e1", "0x1", "%201", "1%20", "%0A1",
      "99999999999999999999", "9223372036854775808", "abc", "%F0%9F%98%80", "1,2", "%E0%A5%A7",
      "%EF%BC%90");
  private static final List<String> WORDS = List.of("to", "n", "a", "name", "x", "list", "é",
      "\\u2028", "", "k");
  private static final List<String> QUEUES = List.of("work", "other", "tiny", "nope", "%20",
      "w%C3%B6rk", "%00", "a".repeat(300), "WORK");

  private final Random random;
  private final List<Long> knownIds;

  FuzzRequests(Random random, List<Long> knownIds) {
    this.random = random;
    this.knownIds = List.copyOf(knownIds);
  }

  /** {@code n} requests. */
  List<Request> take(int n) {
    List<Request> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(next());
    }
    return all;
  }

  private Request next() {
    return switch (random.nextInt(16)) {
      case 0, 1, 2 -> json("POST", "/api/queues/" + queue() + "/tasks", mangle(submitBody()));
      case 3 -> json("POST", "/api/queues/" + queue() + "/batches", mangle(batchBody()));
      case 4 -> json("GET", "/api/tasks" + listQuery(), "");
      case 5 -> json(pick("GET", "DELETE"), "/api/tasks/" + badId(), "");
      case 6 -> json("POST", "/api/tasks/" + badId() + pick("/cancel", "/retry", "/progress"),
          mangle(progressBody()));
      case 7 -> json("POST", "/api/tasks/" + unknownId() + pick("/cancel", "/retry",
          "/progress"), mangle(progressBody()));
      case 8 -> json("GET", "/api/tasks/" + pick(knownIds) + pick("", "?x=1", "?limit=1"), "");
      case 9 -> json("GET", "/api/events" + badEventsQuery(), "");
      case 10 -> json("GET", "/api/batches/" + pick(badId(), Long.toString(unknownId())), "");
      case 11 -> supervisorRequest();
      case 12 -> json("POST", pick("/api/users/sync", "/api/users/" + pick("alice", "nobody", "%20", "%C3%A9") + "/sync"),
          mangle("{\"users\": " + value(pick("[\"alice\"]", "\"all\"")) + ", \"priority\": "
              + value("1") + "}"));
      case 13 -> json(pick("GET", "POST", "PUT", "DELETE", "PATCH"), pick("/api/health",
          "/api/queues", "/api/queues/" + queue(), "/api/supervisors", "/metrics", "/livez",
          "/api/openapi.json",
          "/api/tasks/" + badId() + "/nothing", "/api/" + pick("nothing", "tasks%00", "..", "queues/"), "/api/queues/work/tasks")
          + pick("", "?x=", "?limit=0", "?queue=&queue="), pick("", "{}", "[]"));
      case 14 -> new Request("POST", "/api/queues/work/tasks", randomBytes(),
          pick("application/json", "text/plain", null, "application/json; charset=utf-16",
              "application/x-www-form-urlencoded", "application/problem+json"));
      default -> json("POST", "/api/queues/other/tasks", "{\"args\": " + value("1")
          + ", \"" + pick("delay", "run_at", "priority") + "\": "
          + pick(pick(FAR_TIMES), pick(FAR_DURATIONS), pick(NUMBERS), pick(ODD_VALUES)) + "}");
    };
  }

  private String submitBody() {
    List<String> fields = new ArrayList<>();
    fields.add("\"args\": " + value(args()));
    if (random.nextInt(3) == 0) {
      fields.add("\"delay\": " + value(pick("\"30s\"", "250", "\"PT5M\"", "\"1d\"")));
    }
    if (random.nextInt(4) == 0) {
      fields.add("\"run_at\": " + value(pick("\"2030-01-01T09:00:00Z\"",
          "\"2020-01-01T00:00:00+02:00\"")));
    }
    if (random.nextInt(3) == 0) {
      fields.add("\"priority\": " + value(Integer.toString(random.nextInt(21) - 10)));
    }
    if (random.nextInt(3) == 0) {
      fields.add("\"key\": " + value("\"k" + random.nextInt(30) + "\""));
    }
    if (random.nextInt(12) == 0) {
      fields.add("\"" + pick("runAt", "Args", "prio", "queue", "id", "") + "\": 1");
    }
    java.util.Collections.shuffle(fields, random);
    return "{" + String.join(", ", fields) + "}";
  }

  private String batchBody() {
    int n = random.nextInt(4);
    List<String> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(value(args()));
    }
    return "{\"tasks\": " + value("[" + String.join(", ", tasks) + "]") + "}";
  }

  private String progressBody() {
    return "{\"current\": " + value("40") + ", \"total\": " + value("100") + ", \"message\": "
        + value("\"copying\"") + (random.nextInt(8) == 0 ? ", \"reason\": \"r\"" : "") + "}";
  }

  private Request supervisorRequest() {
    String name = pick("accounts", "nope", "%20");
    String key = "/api/supervisors/" + name + "/keys/" + pick("k0", "k1", "k2", "%20", "",
        "k%2F1", "x".repeat(600));
    return switch (random.nextInt(5)) {
      case 0 -> json("PUT", key, mangle("{\"args\": " + value(args()) + ", \"restart\": "
          + value("true") + "}"));
      case 1 -> json(pick("GET", "DELETE"), key, "");
      case 2 -> json("POST", key + pick("/pause", "/resume", "/restart"), pick("", "{}", "[1]"));
      case 3 -> json("GET", "/api/supervisors/" + name + pick("", "/keys"), "");
      default -> json("GET", "/api/supervisors" + pick("?x=1", "?", "?name="), "");
    };
  }

  private String listQuery() {
    List<String> params = new ArrayList<>();
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      String name = pick("queue", "status", "limit", "cursor", "queue", "Queue", "offset");
      String v = switch (name) {
        case "queue" -> pick("", "work", "other", "nope", "%EF%BC%91", "%00");
        case "status" -> pick("", "waiting", "RUNNING", "done", "success%00");
        default -> pick("", "0", "1", "1000", "1001", "-1", "+5", "05", "%EF%BC%95", "1e3",
            "9223372036854775807", "9223372036854775808", "%D9%A5", "abc", "1.0");
      };
      params.add(name + "=" + v);
    }
    return params.isEmpty() ? "" : "?" + String.join("&", params);
  }

  /** A query /api/events must refuse at once: a valid one would start a stream. */
  private String badEventsQuery() {
    String bad = pick("queue=", "task=", "task=%2B1", "task=01", "task=0", "task=-1",
        "task=%EF%BC%91", "task=%D9%A1", "task=99999999999999999999", "queue=nope", "x=1",
        "queue=work&queue=work", "task=1.0");
    return "?" + (random.nextBoolean() ? bad : "queue=work&" + bad);
  }

  private String badId() {
    return pick(BAD_IDS);
  }

  /** A well-formed id no task has. */
  private long unknownId() {
    return 1_000_000_000_000L + random.nextInt(1_000_000);
  }

  private String queue() {
    return random.nextInt(4) == 0 ? pick(QUEUES) : pick("work", "other");
  }

  /** Plausible arguments: a small JSON value. */
  private String args() {
    return switch (random.nextInt(5)) {
      case 0 -> Integer.toString(random.nextInt(1000));
      case 1 -> "\"" + pick(WORDS) + random.nextInt(100) + "\"";
      case 2 -> "[" + random.nextInt(10) + ", \"" + pick(WORDS) + "\"]";
      case 3 -> "{\"" + pick(WORDS) + "\": " + pick(NUMBERS) + "}";
      default -> "{\"to\": \"ada@example.com\", \"n\": " + random.nextInt(100) + "}";
    };
  }

  /** {@code plausible} most of the time, else a value at an edge or of another type. */
  private String value(String plausible) {
    return switch (random.nextInt(10)) {
      case 0 -> pick(NUMBERS);
      case 1 -> pick(ODD_VALUES);
      case 2 -> pick(pick(FAR_TIMES), pick(FAR_DURATIONS));
      case 3 -> random.nextInt(20) == 0 ? "\"" + "x".repeat(60_000 + random.nextInt(20_000))
          + "\"" : "\"" + "y".repeat(random.nextInt(600)) + "\"";
      case 4 -> random.nextInt(10) == 0 ? "[".repeat(1_200) + "]".repeat(1_200)
          : "{\"a\": ".repeat(20) + "1" + "}".repeat(20);
      default -> plausible;
    };
  }

  /** Often as it is; else cut short, a character dropped, changed or added, or a key twice. */
  private String mangle(String json) {
    if (random.nextInt(3) != 0 || json.length() < 2) {
      return json;
    }
    int at = random.nextInt(json.length());
    return switch (random.nextInt(5)) {
      case 0 -> json.substring(0, at);
      case 1 -> json.substring(0, at) + json.substring(at + 1);
      case 2 -> json.substring(0, at) + pick("\"", "{", "]", ",", ":", "\\", "\u0000", "é", "1")
          + json.substring(at + 1);
      case 3 -> json.substring(0, at) + pick("\"", "}", "[", "-", "e", " ", "\ud83d")
          + json.substring(at);
      default -> json.startsWith("{") ? "{\"args\": 1, " + json.substring(1) : json;
    };
  }

  private byte[] randomBytes() {
    byte[] b = new byte[random.nextInt(300)];
    random.nextBytes(b);
    if (b.length > 0) {
      b[0] = (byte) "{[\"x1-tn".charAt(random.nextInt(7));
    }
    return b;
  }

  private Request json(String method, String path, String body) {
    return new Request(method, path, body.getBytes(StandardCharsets.UTF_8),
        body.isEmpty() ? null : "application/json");
  }

  @SafeVarargs
  private <T> T pick(T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  private <T> T pick(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }
}
