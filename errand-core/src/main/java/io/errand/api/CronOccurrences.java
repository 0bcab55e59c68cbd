package io.errand.api;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Turns a cron expression's local date-times into instants in a zone, with the daylight-saving
 * rules of {@link ScheduleSpec.Cron}: a local time in a gap maps to the gap's end; a local time
 * in an overlap maps to its first pass, and also to its second pass when the expression matches
 * every hour.
 */
final class CronOccurrences {
  private final CronExpression cron;
  private final ZoneRules rules;
  private final boolean bothPasses;

  CronOccurrences(CronExpression cron, ZoneId zone) {
    this.cron = cron;
    this.rules = zone.getRules();
    this.bothPasses = cron.everyHour();
  }

  /** The first occurrence strictly after {@code after}, or null if none within nine years. */
  Instant next(Instant after) {
    LocalDateTime start =
        LocalDateTime.ofInstant(after, rules.getOffset(after)).truncatedTo(ChronoUnit.SECONDS);
    ZoneOffsetTransition around = rules.getTransition(start);
    if (around != null && around.isOverlap()) {
      // In a repeated hour, a local time before start may still have its second pass ahead.
      start = around.getDateTimeAfter();
    }
    Instant best = null;
    for (LocalDateTime local = cron.nextLocal(start); local != null;
        local = cron.nextLocal(local.plusSeconds(1))) {
      List<ZoneOffset> offsets = rules.getValidOffsets(local);
      Instant first;
      Instant second = null;
      if (offsets.size() == 1) {
        first = local.toInstant(offsets.get(0));
      } else if (offsets.isEmpty()) {
        first = rules.getTransition(local).getInstant();
      } else {
        ZoneOffsetTransition overlap = rules.getTransition(local);
        first = local.toInstant(overlap.getOffsetBefore());
        if (bothPasses) {
          second = local.toInstant(overlap.getOffsetAfter());
        }
      }
      if (second != null && second.isAfter(after) && (best == null || second.isBefore(best))) {
        best = second;
      }
      // First passes never go back in time as local time goes on, and a second pass is later
      // than its first: once a first pass is past 'after', nothing later can beat it.
      if (first.isAfter(after)) {
        return best == null || first.isBefore(best) ? first : best;
      }
    }
    return best;
  }
}
