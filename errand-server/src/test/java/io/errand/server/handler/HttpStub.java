package io.errand.server.handler;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A local HTTP server on 127.0.0.1 that answers as each test tells it and records requests. */
final class HttpStub implements AutoCloseable {

  /** A request as the stub saw it. */
  record Seen(String method, String path, Headers headers, String body) {}

  /** How the stub answers one request. */
  @FunctionalInterface
  interface Answer {
    void answer(HttpExchange ex, int nth) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  /** Released when the stub closes: handlers that block wait on it. */
  final CountDownLatch release = new CountDownLatch(1);

  HttpStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(pool);
    server.start();
  }

  /** Answers requests to {@code path} with {@code answer}, told which request (from 1) it is. */
  HttpStub on(String path, Answer answer) {
    AtomicInteger n = new AtomicInteger();
    server.createContext(path, ex -> {
      try (ex) {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(),
            ex.getRequestHeaders(), body));
        answer.answer(ex, n.incrementAndGet());
      } catch (Exception e) {
        // The client went away (cancel, time-out): nothing to answer.
      }
    });
    return this;
  }

  /** The URL of {@code path} on the stub. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Sends {@code status} with {@code body} of {@code type} (no body when null). */
  static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    if (type != null) {
      ex.getResponseHeaders().set("Content-Type", type);
    }
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }
  }

  /** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
  static int deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Reads {@code in} to its end, or until the connection breaks. */
  static void drain(InputStream in) {
    byte[] buf = new byte[8192];
    try {
      while (in.read(buf) >= 0) {
        // reading until the peer closes
      }
    } catch (IOException e) {
      // a reset is a close too
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    pool.shutdownNow();
  }
}
