package io.errand.server.git;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP server that answers every request with one status, optionally holding each
 * request until {@link #release} is counted down, so a test can look at git while it waits.
 */
final class HttpStub implements AutoCloseable {
  final CountDownLatch arrived = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  /** The Authorization header of each request, "(none)" when there was none. */
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  private HttpStub(int status, boolean hold) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "(none)" : auth);
      arrived.countDown();
      try {
        if (hold) {
          release.await(120, TimeUnit.SECONDS);
        }
        if (status == 401) {
          exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"stub\"");
        }
        exchange.sendResponseHeaders(status, -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // git was killed while the request was held: nobody to answer.
      } finally {
        exchange.close();
      }
    });
    server.setExecutor(executor);
    server.start();
  }

  /** A stub answering {@code status} at once. */
  static HttpStub answering(int status) throws IOException {
    return new HttpStub(status, false);
  }

  /** A stub holding every request until {@link #release}, then answering {@code status}. */
  static HttpStub holding(int status) throws IOException {
    return new HttpStub(status, true);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
