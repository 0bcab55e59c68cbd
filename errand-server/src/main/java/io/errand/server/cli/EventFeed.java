package io.errand.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The server's Server-Sent-Events stream ({@code /api/events}) read one event at a time: what
 * {@code submit --wait} and {@code sync --wait} follow instead of asking for the task over and
 * over. Comments (the heartbeats) are skipped, but their {@code id:} still moves
 * {@link #lastId()}, so a reconnect resumes where this one stopped.
 */
final class EventFeed implements AutoCloseable {
  /** One event: its {@code event:} type ({@code PROGRESS}, {@code gap}...) and its data. */
  record Event(String type, JsonNode data) {}

  private final BufferedReader in;
  private String lastId;

  private EventFeed(InputStream in, String lastId) {
    this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    this.lastId = lastId;
  }

  /**
   * Opens {@code path} (e.g. {@code /api/events?queue=mail}) after {@code lastId}, or live
   * when it is null.
   *
   * @throws CliException when the server cannot be reached or refuses (bad token, unknown queue)
   */
  static EventFeed open(ApiClient api, String path, String lastId) {
    return new EventFeed(api.stream(path, lastId), lastId);
  }

  /**
   * The next event, waiting for it; null when the stream ended (the server stopped, a proxy
   * cut it).
   *
   * @throws CliException with exit code 130 when the thread is interrupted (Ctrl-C)
   */
  Event next() {
    String type = "message";
    StringBuilder data = new StringBuilder();
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            return new Event(type, parse(data.toString()));
          }
          type = "message";
          continue;
        }
        if (line.startsWith(":")) {
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        value = value.startsWith(" ") ? value.substring(1) : value;
        switch (field) {
          case "id" -> lastId = value;
          case "event" -> type = value;
          case "data" -> data.append(data.length() > 0 ? "\n" : "").append(value);
          default -> { } // retry: and fields of later versions
        }
      }
      return null;
    } catch (IOException e) {
      if (Thread.interrupted()) {
        throw CliException.interrupted();
      }
      return null; // cut off: the caller reconnects from lastId()
    }
  }

  /** The id of the last event (or heartbeat) read, to resume after; null before the first. */
  String lastId() {
    return lastId;
  }

  private static JsonNode parse(String data) {
    try {
      return ApiClient.JSON.readTree(data);
    } catch (JsonProcessingException e) {
      return NullNode.instance;
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      // closing a stream that is already gone
    }
  }
}
