package io.errand.server.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The far end of a server's webhooks in a test: {@code /hook} on 127.0.0.1, on a port the
 * system picks. Each body POSTed there is kept as JSON, with the request's
 * {@code Authorization} header, in the order they came; the first {@link #failFirst} posts are
 * answered 503 (so the server retries them) and not kept.
 */
final class HookReceiver implements AutoCloseable {
  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger failFirst = new AtomicInteger();

  /** Listening once made. */
  HookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int status = failFirst.getAndDecrement() > 0 ? 503 : 204;
      if (status == 204) {
        received.add(json.readTree(body));
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  /** The port it listens on. */
  int port() {
    return server.getAddress().getPort();
  }

  /** The hook's URL, as a config names it. */
  String url() {
    return "http://127.0.0.1:" + port() + "/hook";
  }

  /** The bodies kept so far, a live view. */
  List<JsonNode> received() {
    return received;
  }

  /** The Authorization header of each kept body ("null" where there was none), a live view. */
  List<String> authorizations() {
    return authorizations;
  }

  /** Answers the next {@code n} posts 503. */
  void failFirst(int n) {
    failFirst.set(n);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
