package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files over plain HTTP: served from the jar with their types, a strict
 * Content-Security-Policy and revalidating caching, needing no token, and referring to nothing
 * outside the server.
 */
class DashboardAssetsTest {
  private static final Pattern LOCAL_REF = Pattern.compile("(?:src|href)=\"([^\"#]+)\"");
  private static final Pattern IMPORT = Pattern.compile("from '\\./([^']+)'");
  private static Fixture f;

  @BeforeAll
  static void start() {
    f = new Fixture("assets-token", b -> b);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void thePageIsServedAtTheRootAndAtDashboardWithAStrictPolicyAndNoToken() {
    for (String path : List.of("/", "/dashboard", "/dashboard/")) {
      Http.Response r = anonymous(path);
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(r.header("Content-Type").orElseThrow().replace(" ", ""))
          .isEqualTo("text/html;charset=utf-8");
      assertThat(r.body()).contains("<script type=\"module\" src=\"/dashboard/app.js\">");
      assertThat(r.header("Content-Security-Policy").orElseThrow())
          .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'",
              "frame-ancestors 'none'")
          .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:", "*");
      assertThat(r.header("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(r.header("Cache-Control")).hasValue("no-cache");
    }
    Http.Response head = f.http.send(HttpRequest.newBuilder(URI.create(f.http.base() + "/"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Security-Policy")).isPresent();
    assertThat(head.body()).isEmpty();
    assertThat(anonymous("/api/queues").status()).as("the API still needs the token")
        .isEqualTo(401);
  }

  @Test
  void everyFileThePageLoadsIsServedWithItsTypeAndRevalidatedByETag() {
    for (String file : referencedFiles()) {
      Http.Response r = anonymous("/dashboard/" + file);
      assertThat(r.status()).as(file).isEqualTo(200);
      String type = r.header("Content-Type").orElseThrow().replace(" ", "");
      assertThat(type).as(file).isEqualTo(switch (file.substring(file.lastIndexOf('.') + 1)) {
        case "js" -> "text/javascript;charset=utf-8";
        case "css" -> "text/css;charset=utf-8";
        case "svg" -> "image/svg+xml";
        default -> throw new AssertionError("unexpected file " + file);
      });
      String etag = r.header("ETag").orElseThrow();
      Http.Response again = f.http.send(HttpRequest.newBuilder(
          URI.create(f.http.base() + "/dashboard/" + file))
          .header("If-None-Match", etag).GET().build());
      assertThat(again.status()).as(file).isEqualTo(304);
      assertThat(again.body()).isEmpty();
    }
  }

  @Test
  void unknownOrOddlyNamedFilesAre404InTheApisErrorShape() {
    for (String path : List.of("/dashboard/nope.js", "/dashboard/..%2Flogback.xml",
        "/dashboard/logback.xml", "/dashboard/App.js", "/dashboard/app.js.map")) {
      Http.Response r = anonymous(path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.errorCode()).as(path).isEqualTo("not_found");
    }
  }

  @Test
  void noFileRefersToAnotherServer() throws IOException, URISyntaxException {
    URL folder = DashboardRoutes.class.getClassLoader().getResource("dashboard");
    assertThat(folder).isNotNull();
    try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
      for (Path file : files.toList()) {
        String text = Files.readString(file).replace("http://www.w3.org/2000/svg", "");
        assertThat(text).as(file.getFileName().toString())
            .doesNotContain("http://", "https://", "//cdn", "@import", "fonts.", "eval(",
                "innerHTML", "TODO");
      }
    }
  }

  /** The files index.html names, and those its modules import, transitively. */
  private static List<String> referencedFiles() {
    Set<String> seen = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>();
    Matcher m = LOCAL_REF.matcher(anonymous("/").body());
    while (m.find()) {
      todo.add(m.group(1).substring("/dashboard/".length()));
    }
    while (!todo.isEmpty()) {
      String file = todo.pop();
      if (seen.add(file) && file.endsWith(".js")) {
        Matcher imports = IMPORT.matcher(anonymous("/dashboard/" + file).body());
        while (imports.find()) {
          todo.add(imports.group(1));
        }
      }
    }
    assertThat(seen).contains("app.js", "style.css", "stream.js", "tasks-view.js");
    return List.copyOf(seen);
  }

  private static Http.Response anonymous(String path) {
    return f.http.send(HttpRequest.newBuilder(URI.create(f.http.base() + path))
        .GET().build());
  }
}
