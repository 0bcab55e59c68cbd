package io.errand.postgres;

import io.errand.api.InvalidSpecException;
import io.errand.api.MissedRunPolicy;
import io.errand.api.OverlapPolicy;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.api.ScheduleState;
import io.errand.spi.PayloadCodec;
import io.errand.spi.StoredSchedule;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/**
 * A schedule as a row of {@code <schema>.schedules}: its definition in text forms (spec,
 * policies, ISO-8601 jitter) and its fixed args encoded by the store's codec, beside the firing
 * state. Reading a row parses the text forms back, so a row written by any node gives an equal
 * definition.
 */
final class ScheduleRows {
  /** The columns {@link #read} expects, in order. */
  static final String COLUMNS = "name, queue, spec, args, jitter, start_at, end_at, missed, "
      + "overlap, state, next_due, held, last_occurrence, last_task, last_fired_at";

  private ScheduleRows() {}

  /**
   * Sets the definition's eight parameters (queue, spec, args, jitter, start, end, missed,
   * overlap) from {@code first}.
   */
  static int setDefinition(PreparedStatement ps, int first, Schedule s, String args)
      throws SQLException {
    int i = first;
    ps.setString(i++, s.queue());
    ps.setString(i++, s.spec().text());
    ps.setString(i++, args);
    ps.setString(i++, s.jitter().toString());
    setInstant(ps, i++, s.start().orElse(null));
    setInstant(ps, i++, s.end().orElse(null));
    ps.setString(i++, s.missed().text());
    ps.setString(i++, s.overlap().text());
    return i;
  }

  /** Sets parameter {@code i} to {@code at}, kept to the microsecond; null for none. */
  static void setInstant(PreparedStatement ps, int i, Instant at) throws SQLException {
    if (at == null) {
      ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(i, Row.timestamp(at));
    }
  }

  /**
   * Refuses an occurrence with a part finer than a microsecond: PostgreSQL keeps timestamps to
   * the microsecond, and an occurrence read back rounded would not be the one the spec gives,
   * so the compare-and-set on it could never advance the schedule past it.
   *
   * @throws InvalidSpecException naming the schedule and the occurrence
   */
  static void requireMicros(String schedule, Instant occurrence) {
    if (occurrence != null && occurrence.getNano() % 1000 != 0) {
      throw new InvalidSpecException("schedule " + schedule + " occurrence " + occurrence
          + " is not allowed: on PostgreSQL occurrences must be whole microseconds (give the "
          + "spec's anchor or instant in microseconds)");
    }
  }

  /**
   * The schedule in the current row. Its args are decoded as the queue's args type when the
   * codec knows it; an args function registered in this process ({@code functions}) replaces
   * the absent fixed args. A definition whose text forms are those last read for its name is
   * taken from {@code known} instead of parsed again: the schedule runner reads every schedule
   * at least once a second, and parsing specs and decoding args dominated that read.
   */
  static StoredSchedule read(ResultSet rs, PayloadCodec codec,
      Map<String, Function<Instant, ?>> functions, Map<String, Known> known)
      throws SQLException {
    String name = rs.getString(1);
    Function<Instant, ?> function = functions.get(name);
    String[] texts = new String[9];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = rs.getString(i + 1);
    }
    Known k = known.get(name);
    Schedule schedule;
    if (k != null && k.function() == function && Arrays.equals(k.texts(), texts)) {
      schedule = k.schedule();
    } else {
      schedule = definition(texts, instant(rs, 6), instant(rs, 7), codec, function);
      known.put(name, new Known(texts, function, schedule));
    }
    long lastTask = rs.getLong(14);
    StoredSchedule.LastRun last = rs.wasNull() ? null
        : new StoredSchedule.LastRun(instant(rs, 13), lastTask, instant(rs, 15));
    return new StoredSchedule(schedule, ScheduleState.valueOf(rs.getString(10)),
        instant(rs, 11), instant(rs, 12), last);
  }

  private static Schedule definition(String[] texts, Instant start, Instant end,
      PayloadCodec codec, Function<Instant, ?> function) {
    String name = texts[0];
    String queue = texts[1];
    Schedule.Builder b = Schedule.builder(name, queue, ScheduleSpec.parse(texts[2]))
        .jitter(Duration.parse(texts[4]))
        .start(start)
        .end(end)
        .missed(MissedRunPolicy.parse(texts[7]))
        .overlap(OverlapPolicy.parse(texts[8]));
    String args = texts[3];
    if (args == null && function != null) {
      b.argsFrom(function);
    } else {
      b.args(args(codec, queue, args));
    }
    return b.build();
  }

  /**
   * A definition as last read: the texts of its first nine columns (name to overlap), the args
   * function it was given, and the schedule made from them.
   */
  record Known(String[] texts, Function<Instant, ?> function, Schedule schedule) {}

  private static Object args(PayloadCodec codec, String queue, String json) {
    if (json == null) {
      return null;
    }
    try {
      return codec.decodeArgs(queue, json);
    } catch (RuntimeException unknownType) {
      // a queue this node does not define: shown as the codec reads any JSON
      return codec.decodeArgsToShow(queue, json);
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
