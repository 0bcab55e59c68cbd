package io.errand.server.serve;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The server's address and port are taken by another program. Its message is one line that
 * says what to do, so that {@code errand serve} can print it as it is.
 */
public final class PortInUseException extends IllegalStateException {
  PortInUseException(String bind, int port, Throwable cause) {
    super("cannot listen on " + bind + ":" + port + ": another program listens there (another"
        + " errand server?); stop it, or choose another port with --port, ERRAND_PORT or"
        + " server.port", cause);
  }

  /**
   * Checks that {@code bind}:{@code port} can be listened on now, by binding and releasing it.
   * Port 0 (any free port) always can.
   *
   * @throws PortInUseException when another program listens there
   */
  static void requireFree(String bind, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true); // as Jetty binds: a port left in TIME_WAIT counts as free
      probe.bind(new InetSocketAddress(bind, port));
    } catch (BindException e) {
      throw new PortInUseException(bind, port, e);
    } catch (IOException e) {
      // Not a port in use (an address of another machine, say): the real bind reports it.
    }
  }

  /** Whether {@code e}, from starting the HTTP server, says the port was taken. */
  static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException || t.getClass().getSimpleName().contains("BindException")) {
        return true;
      }
    }
    return false;
  }
}
