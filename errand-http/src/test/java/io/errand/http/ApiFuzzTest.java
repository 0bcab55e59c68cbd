package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A flood of bad requests: malformed JSON, wrong types, unknown fields, huge and deep bodies,
 * wrong media types, garbage ids. Every one must get a 4xx in the error shape (never a 5xx,
 * never a stack trace), and the server must be healthy afterwards.
 */
class ApiFuzzTest {
  private static final int MAX_BODY = 64 * 1024;
  private static Fixture f;
  private static Http http;

  @BeforeAll
  static void start() {
    f = new Fixture(null, b -> b.maxBodyBytes(MAX_BODY));
    http = f.http;
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  /** A bad request: where it goes and what it carries. */
  record Bad(String method, String path, byte[] body, String contentType) {
    static Bad json(String method, String path, String body) {
      return new Bad(method, path, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    @Override
    public String toString() {
      String text = new String(body, StandardCharsets.UTF_8);
      return method + " " + path + " [" + contentType + "] "
          + (text.length() > 120 ? text.substring(0, 120) + "..." : text);
    }
  }

  @Test
  void aHundredBadRequestsAllGet4xxInTheErrorShapeAndTheServerStaysHealthy() {
    Random random = new Random(20_240_601L);
    long running = f.submit("work", "{\"gate\": \"fuzz\"}");
    List<Supplier<Bad>> kinds = kinds(random, running);
    List<Bad> requests = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      requests.add(kinds.get(i % kinds.size()).get());
    }

    for (Bad bad : requests) {
      HttpRequest.Builder b = http.request(bad.path())
          .method(bad.method(), HttpRequest.BodyPublishers.ofByteArray(bad.body()));
      if (bad.contentType() != null) {
        b.header("Content-Type", bad.contentType());
      }
      Http.Response r = http.send(b.build());
      assertThat(r.status()).as(bad.toString() + " -> " + r).isBetween(400, 499);
      assertThat(r.errorCode()).as(bad.toString() + " -> " + r).isNotBlank();
      assertThat(r.errorMessage()).as(bad.toString() + " -> " + r).isNotBlank();
      assertThat(r.body()).as(bad.toString()).doesNotContain("Exception").doesNotContain("\tat ")
          .doesNotContain("<html");
    }

    assertThat(http.get("/api/health").status()).isEqualTo(200);
    long ok = f.submit("other", "{\"after\": \"the flood\"}");
    assertThat(f.awaitFinished(ok).status().name()).isEqualTo("SUCCESS");
    f.open("fuzz");
    assertThat(f.awaitFinished(running).status().name()).isEqualTo("SUCCESS");
  }

  private static List<Supplier<Bad>> kinds(Random random, long running) {
    String tasks = "/api/queues/work/tasks";
    String progress = "/api/tasks/" + running + "/progress";
    return List.of(
        () -> new Bad("POST", tasks, randomBytes(random, 1 + random.nextInt(200)),
            "application/json"),
        () -> Bad.json("POST", tasks, truncate(random, "{\"args\": {\"a\": [1, 2, {\"b\": \"c\"}]},"
            + " \"priority\": 3, \"key\": \"k\"}")),
        () -> Bad.json("POST", tasks, "[".repeat(2_000 + random.nextInt(5_000))),
        () -> Bad.json("POST", tasks, "{\"args\": " + "[".repeat(1_500) + "]".repeat(1_500) + "}"),
        () -> Bad.json("POST", tasks, "{\"args\": 1, \"priority\": " + wrongValue(random) + "}"),
        () -> Bad.json("POST", tasks, "{\"args\": 1, \"delay\": " + wrongDuration(random) + "}"),
        () -> Bad.json("POST", tasks, "{\"args\": 1, \"run_at\": " + wrongValue(random) + "}"),
        () -> Bad.json("POST", tasks, "{\"args\": 1, \"key\": " + wrongKey(random) + "}"),
        () -> Bad.json("POST", tasks, "{\"args\": 1, \"" + randomWord(random) + "\": 1}"),
        () -> Bad.json("POST", tasks, "{\"args\": \"" + "x".repeat(MAX_BODY + random.nextInt(1000))
            + "\"}"),
        () -> new Bad("POST", tasks, "{\"args\": 1}".getBytes(StandardCharsets.UTF_8),
            List.of("text/plain", "application/xml", "multipart/form-data",
                "application/x-www-form-urlencoded").get(random.nextInt(4))),
        () -> Bad.json("POST", "/api/queues/work/batches", List.of("{\"tasks\": 5}",
            "{\"tasks\": []}", "{\"tasks\": [1], \"extra\": true}", "{\"task\": [1]}",
            "{\"tasks\": null}").get(random.nextInt(5))),
        () -> Bad.json("POST", progress, List.of("{\"current\": \"half\"}",
            "{\"current\": -5}", "{\"current\": 1, \"total\": -1}", "{\"current\": 1e3}",
            "{\"current\": 99999999999999999999999}", "{\"current\": 1, \"message\": 7}",
            "{}").get(random.nextInt(7))),
        () -> Bad.json("POST", "/api/tasks/" + running + "/cancel",
            "{\"reason\": " + List.of("1.5", "true", "[\"x\"]", "{}", "null", "1e400")
                .get(random.nextInt(6)) + "}"),
        () -> Bad.json("PUT", "/api/supervisors/accounts/keys/k" + random.nextInt(100),
            List.of("{\"args\": 1, \"restart\": \"yes\"}", "{}", "{\"args\": 1,}", "null",
                "\"args\"").get(random.nextInt(5))),
        () -> Bad.json(List.of("GET", "POST", "DELETE").get(random.nextInt(3)),
            "/api/tasks/" + List.of("abc", "-1", "0", "1.5", "99999999999999999999", "%20")
                .get(random.nextInt(6)) + (random.nextBoolean() ? "" : "/cancel"), "{}"),
        () -> Bad.json("POST", tasks, "{\"args\": \"\\ud800\", \"key\": \"\\u0000"
            + "\"" + ", \"priority\": 2147483648}"),
        () -> new Bad("POST", tasks, new byte[] {0, 0, 0, (byte) 0x7b, 0, 0, 0, 0x7d, 0x7f, -1,
            -1, -1}, "application/json"));
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    b[0] = (byte) "{[\"x1-tn".charAt(random.nextInt(7)); // make the parser read a little
    return b;
  }

  private static String truncate(Random random, String json) {
    return json.substring(0, 1 + random.nextInt(json.length() - 2));
  }

  private static String wrongValue(Random random) {
    return List.of("\"high\"", "1.5", "true", "[1]", "{\"a\": 1}", "1e400", "9223372036854775808",
        "\"2030-13-45T00:00:00Z\"").get(random.nextInt(8));
  }

  private static String wrongDuration(Random random) {
    return List.of("\"soon\"", "-1", "\"-5s\"", "true", "[\"1s\"]", "1.5", "\"1 fortnight\"")
        .get(random.nextInt(7));
  }

  private static String wrongKey(Random random) {
    return List.of("5", "\"\"", "\"   \"", "\"" + "k".repeat(600) + "\"", "[\"k\"]", "null")
        .get(random.nextInt(6));
  }

  private static String randomWord(Random random) {
    return List.of("prio", "Args", "runAt", "delay_ms", "queue", "", "\\u0000", "id")
        .get(random.nextInt(8));
  }
}
