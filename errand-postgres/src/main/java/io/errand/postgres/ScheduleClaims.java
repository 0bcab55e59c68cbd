package io.errand.postgres;

import io.errand.spi.StoredSchedule;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How nodes split the due schedules ({@link PostgresSchedules#due}). One statement picks the
 * due rows that no other node claimed less than {@link #CLAIM} ago, skipping rows another
 * transaction holds locked ({@code FOR UPDATE SKIP LOCKED}), and marks them claimed by this
 * node until then; another node's pick leaves them out. The claim ends when
 * {@link PostgresSchedules#advance} moves the schedule on, or when it runs out (its node died,
 * or was slower than the claim), after which any node picks the schedule again. A claim only
 * spares work: exactly-once rests on the compare-and-set of {@code advance} alone, so a claim
 * that ran out while its node was still deciding costs a lost race, never a second task.
 */
final class ScheduleClaims {
  /** How long a node's claim on a due schedule keeps the other nodes from deciding it. */
  static final Duration CLAIM = Duration.ofSeconds(5);

  /** Who may pick a row: nobody claims it, this node does, or the claim ran out. */
  private static final String FREE = " AND (claimed_until IS NULL OR claimed_until < now() "
      + "OR claimed_by = ?)";

  /** Holding and not due: the rows the second part of {@link #CLAIM_DUE} picks. */
  private static final String HOLDING = "held IS NOT NULL AND coalesce(next_due, 'infinity') > ?"
      + FREE;

  /**
   * Picks and claims the ACTIVE schedules due at a time, earliest first, and those holding an
   * occurrence, up to a limit each ({@link #bind} sets the parameters); returns their rows
   * ({@link ScheduleRows#COLUMNS}). Reads only the rows it picks, by the partial indexes on
   * {@code next_due} and {@code held}, whatever the planner knows of the table.
   *
   * <p>The holding part finds its rows by {@code schedules_held} alone and then takes them by
   * {@code ctid}: its only condition that an index could serve is the index's own predicate
   * ({@code state <> 'PAUSED'} is {@code state = 'ACTIVE'} written so that it does not match
   * {@code schedules_due}'s), so no plan can walk another index. Written as one query, on a
   * table that was never analyzed (autovacuum off, as on the test machine's server), it was
   * planned as a walk of {@code schedules_due} over every schedule not yet due, at every look
   * (docs/schedules.md, profile).
   */
  static final String CLAIM_DUE = "WITH due AS (SELECT name AS pick FROM {s}.schedules "
      + "WHERE state = 'ACTIVE' AND next_due <= ?" + FREE + " ORDER BY next_due LIMIT ? "
      + "FOR UPDATE SKIP LOCKED), holding AS (SELECT name AS pick FROM {s}.schedules WHERE "
      + "ctid = ANY(ARRAY(SELECT ctid FROM {s}.schedules WHERE state <> 'PAUSED' AND " + HOLDING
      + " ORDER BY name LIMIT ?)) AND state = 'ACTIVE' AND " + HOLDING + " FOR UPDATE SKIP "
      + "LOCKED) UPDATE {s}.schedules SET claimed_by = ?, claimed_until = now() + ? * "
      + "interval '1 millisecond' FROM (SELECT pick FROM due UNION ALL SELECT pick FROM "
      + "holding) p WHERE name = p.pick RETURNING " + ScheduleRows.COLUMNS;

  /** The earliest {@code next_due} after a time of the ACTIVE schedules (by the index). */
  static final String NEXT_DUE = "SELECT min(next_due) FROM {s}.schedules WHERE state = "
      + "'ACTIVE' AND next_due > ?";

  private ScheduleClaims() {}

  /** Binds {@link #CLAIM_DUE}'s parameters: due at {@code now}, for node {@code self}. */
  static void bind(PreparedStatement ps, Instant now, long self, int limit) throws SQLException {
    ScheduleRows.setInstant(ps, 1, now);
    ps.setLong(2, self);
    ps.setInt(3, limit);
    ScheduleRows.setInstant(ps, 4, now); // the holding ones, found by schedules_held
    ps.setLong(5, self);
    ps.setInt(6, limit);
    ScheduleRows.setInstant(ps, 7, now); // ... and checked again as they are locked
    ps.setLong(8, self);
    ps.setLong(9, self);
    ps.setLong(10, CLAIM.toMillis());
  }

  /**
   * The claimed rows in the order {@link io.errand.spi.ScheduleStore#due} gives: due ones
   * earliest first, then the holding ones; at most {@code limit}. The holding ones past it
   * stay claimed by this node, which picks them again at its next look.
   */
  static List<StoredSchedule> firstDue(List<StoredSchedule> claimed, Instant now, int limit) {
    List<StoredSchedule> out = new ArrayList<>(claimed);
    out.sort(Comparator.comparing((StoredSchedule s) -> s.nextDue() == null
            || s.nextDue().isAfter(now))
        .thenComparing(StoredSchedule::nextDue, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(StoredSchedule::name));
    return out.size() <= limit ? out : List.copyOf(out.subList(0, limit));
  }
}
