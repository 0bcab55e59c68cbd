package io.errand.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code id:} of the event stream, and what a client's {@code Last-Event-ID} means.
 *
 * <p>On one node (memory or SQLite store) the {@link EventLog} numbers events from 1 at each
 * start, so a number alone cannot tell this run's event 40 from the last run's: a page that
 * reconnected late after a restart would resume after the new run's 40th event and miss 40
 * events without a word. So an id there is {@code <run>-<seq>}: {@code run} is a name drawn at
 * random when the log is made (each start of the server), {@code seq} the number in that run.
 * An id of another run (or a bare number, from a server before this format) is recognised as
 * such and answered with a {@code reset}: the client re-reads what it shows, and the stream goes
 * on live.
 *
 * <p>In a cluster an id is the event's own number in the store's event log ({@code TaskEvent
 * #seq}), the same on every node and across restarts: a bare number, resumable anywhere.
 *
 * @param run the name of this run, or null in a cluster (ids are bare numbers)
 */
record EventIds(String run) {
  private static final Pattern RUN_ID = Pattern.compile("([0-9a-z]{1,13})-([0-9]{1,19})");
  private static final Pattern BARE_ID = Pattern.compile("[0-9]{1,19}");
  /** Ten base-36 digits: 36^9 .. 36^10 - 1. */
  private static final long RUN_FROM = 101_559_956_668_416L;
  private static final long RUN_TO = 3_656_158_440_062_976L;

  /** Where a client's {@code Last-Event-ID} puts it. */
  sealed interface Resume {}

  /** No {@code Last-Event-ID}: a new client, which starts live. */
  record Live() implements Resume {}

  /** An id of this run (or of the cluster's log): go on after event {@code seen}. */
  record After(long seen) implements Resume {}

  /**
   * An id this run did not send: of an earlier run of the server, whose events are gone, or of
   * another server. The client must re-read what it shows.
   */
  record OtherRun(String id) implements Resume {}

  /** Ids for a node of its own: a fresh run name, another at each start. */
  static EventIds newRun() {
    return new EventIds(Long.toString(
        ThreadLocalRandom.current().nextLong(RUN_FROM, RUN_TO), Character.MAX_RADIX));
  }

  /** Ids of a cluster: the event log's numbers, bare. */
  static EventIds cluster() {
    return new EventIds(null);
  }

  /** The {@code id:} of the event numbered {@code seq}. */
  String text(long seq) {
    return run == null ? Long.toString(seq) : run + "-" + seq;
  }

  /**
   * What the header {@code raw} (null when absent) asks for.
   *
   * @throws ApiException 400 {@code invalid_last_event_id} when it is no id of this stream's
   *     forms ({@code <run>-<seq>}, or a whole number)
   */
  Resume resume(String raw) {
    if (raw == null || raw.isBlank()) {
      return new Live();
    }
    String id = raw.trim();
    Matcher m = RUN_ID.matcher(id);
    if (m.matches()) {
      long seq = seq(m.group(2), raw);
      return m.group(1).equals(run) ? new After(seq) : new OtherRun(id);
    }
    if (BARE_ID.matcher(id).matches()) {
      long seq = seq(id, raw);
      return run == null ? new After(seq) : new OtherRun(id);
    }
    throw invalid(raw);
  }

  private static long seq(String digits, String raw) {
    return Params.whole(digits).orElseThrow(() -> invalid(raw));
  }

  private static ApiException invalid(String raw) {
    return ApiException.badRequest("invalid_last_event_id", "the Last-Event-ID header must be"
        + " the id of an event this stream sent (<run>-<number>, or a whole number >= 0 on a"
        + " cluster), got '" + JsonBodies.abbreviate(raw, 40) + "'");
  }
}
