package io.errand.server.serve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP port that the programs of a test connect to and name themselves on (one line, e.g.
 * {@code key a} or {@code task 7 2}), then hold quietly. A connection is live until its
 * program is gone (the kernel closes its sockets when it dies). Each new connection checks that
 * no earlier one of the same name is still live: the kernel delivered an earlier program's end
 * before a later program could connect, so the check does not depend on timing.
 */
final class Connections implements AutoCloseable {
  private final ServerSocket server;
  private final Map<String, List<Socket>> byName = new LinkedHashMap<>(); // guarded by this
  private final List<String> overlaps = new CopyOnWriteArrayList<>();

  Connections() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon(true).name("connections").start(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  /** How many programs named {@code name} hold a connection now. */
  synchronized int live(String name) {
    return (int) byName.getOrDefault(name, List.of()).stream().filter(Connections::isOpen)
        .count();
  }

  /** How many programs named {@code name} ever connected. */
  synchronized int total(String name) {
    return byName.getOrDefault(name, List.of()).size();
  }

  /** The programs that connected while an earlier one of their name was still connected. */
  List<String> overlaps() {
    return List.copyOf(overlaps);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        s.setSoTimeout(60_000);
        String line = new BufferedReader(new InputStreamReader(s.getInputStream(),
            StandardCharsets.US_ASCII)).readLine();
        if (line != null) {
          String[] w = line.strip().split(" ");
          add(w[0] + " " + w[1], line.strip(), s);
        }
      } catch (IOException e) {
        // Closed at the end of the test, or a program died before it named itself.
      }
    }
  }

  private synchronized void add(String name, String line, Socket s) {
    List<Socket> earlier = byName.computeIfAbsent(name, k -> new ArrayList<>());
    long open = earlier.stream().filter(Connections::isOpen).count();
    if (open > 0) {
      overlaps.add("'" + line + "' connected while " + open + " earlier program(s) of " + name
          + " still held a connection");
    }
    earlier.add(s);
  }

  /** Reads nothing that matters: the programs write one line only, read at the accept. */
  private static boolean isOpen(Socket s) {
    try {
      s.setSoTimeout(10);
      return s.getInputStream().read() >= 0;
    } catch (SocketTimeoutException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    server.close();
    for (List<Socket> list : byName.values()) {
      for (Socket s : list) {
        s.close();
      }
    }
  }
}
