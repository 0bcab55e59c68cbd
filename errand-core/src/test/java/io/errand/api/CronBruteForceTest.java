package io.errand.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random cron expressions checked against a brute force that walks every minute and applies the
 * documented rules directly (field sets built by the test, Vixie day rule, gap → gap's end,
 * repeated hour → first pass unless every hour matches). A fixed seed: the same cases each run.
 */
class CronBruteForceTest {
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
  private static final String[] MONTHS =
      {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

  /** One random field: its text and the values it stands for. */
  private record Field(String text, TreeSet<Integer> values, boolean star) {}

  /** A random expression and the sets the brute force checks against. */
  private record Cron(String text, Field minute, Field hour, Field dom, Field month, Field dow) {
    boolean matches(LocalDateTime t) {
      if (!minute.values.contains(t.getMinute()) || !hour.values.contains(t.getHour())
          || !month.values.contains(t.getMonthValue())) {
        return false;
      }
      boolean d = dom.values.contains(t.getDayOfMonth());
      int w = t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue();
      boolean wd = dow.values.contains(w) || (w == 0 && dow.values.contains(7));
      return dom.star || dow.star ? d && wd : d || wd;
    }
  }

  /**
   * A random field over {@code min-max}; {@code whole} says whether that is the field's whole
   * range, since only then may it be written with {@code *}.
   */
  private static Field field(Random r, int min, int max, String[] names, int namesFrom, boolean whole) {
    TreeSet<Integer> values = new TreeSet<>();
    int kind = whole ? r.nextInt(5) : 2 + r.nextInt(3);
    String text;
    if (kind == 0) {
      text = "*";
      for (int v = min; v <= max; v++) { // for day-of-week 0-7: 7 is Sunday again, harmless
        values.add(v);
      }
      return new Field(text, values, true);
    }
    if (kind == 1) {
      int step = 1 + r.nextInt(Math.max(1, (max - min) / 2));
      text = "*/" + step;
      for (int v = min; v <= max; v += step) {
        values.add(v);
      }
      return new Field(text, values, true);
    }
    if (kind == 2) {
      int a = min + r.nextInt(max - min + 1);
      int b = a + r.nextInt(max - a + 1);
      int step = 1 + r.nextInt(4);
      text = name(a, names, namesFrom, r) + "-" + name(b, names, namesFrom, r) + (step > 1 ? "/" + step : "");
      for (int v = a; v <= b; v += step) {
        values.add(v);
      }
      return new Field(text, values, false);
    }
    List<String> items = new ArrayList<>();
    for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
      int v = min + r.nextInt(max - min + 1);
      values.add(v);
      items.add(name(v, names, namesFrom, r));
    }
    return new Field(String.join(",", items), values, false);
  }

  private static String name(int v, String[] names, int namesFrom, Random r) {
    int i = v - namesFrom;
    return names != null && i >= 0 && i < names.length && r.nextBoolean() ? names[i] : String.valueOf(v);
  }

  private static Cron cron(Random r) {
    Field minute = field(r, 0, 59, null, 0, true);
    // Early hours two times in three: that is where daylight saving transitions are.
    Field hour = r.nextInt(3) == 0 ? field(r, 0, 23, null, 0, true) : field(r, 0, 3, null, 0, false);
    Field dom = field(r, 1, 31, null, 0, true);
    Field month = field(r, 1, 12, MONTHS, 1, true);
    Field dow = field(r, 0, 7, DAYS, 0, true);
    String text = String.join(" ", minute.text, hour.text, dom.text, month.text, dow.text);
    return new Cron(text, minute, hour, dom, month, dow);
  }

  /** The occurrences in (from, to], by the rules, one minute at a time. */
  private static List<Instant> bruteForce(Cron c, ZoneId zone, Instant from, Instant to) {
    ZoneRules rules = zone.getRules();
    boolean everyHour = c.hour.values.size() == 24;
    List<Instant> found = new ArrayList<>();
    for (Instant t = from.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1)); !t.isAfter(to);
        t = t.plus(Duration.ofMinutes(1))) {
      LocalDateTime local = LocalDateTime.ofInstant(t, zone);
      boolean hit = false;
      if (c.matches(local)) {
        ZoneOffsetTransition overlap = rules.getTransition(local);
        hit = overlap == null || everyHour || rules.getOffset(t).equals(overlap.getOffsetBefore());
      }
      ZoneOffsetTransition gap = rules.nextTransition(t.minusNanos(1));
      if (!hit && gap != null && gap.isGap() && gap.getInstant().equals(t)) {
        for (LocalDateTime l = gap.getDateTimeBefore(); l.isBefore(gap.getDateTimeAfter()); l = l.plusMinutes(1)) {
          hit |= c.matches(l);
        }
      }
      if (hit) {
        found.add(t);
      }
    }
    return found;
  }

  private static List<Instant> computed(ScheduleSpec spec, Instant from, Instant to) {
    List<Instant> found = new ArrayList<>();
    for (Instant t = spec.next(from).orElse(null); t != null && !t.isAfter(to); t = spec.next(t).orElse(null)) {
      found.add(t);
    }
    return found;
  }

  @Test
  void randomExpressionsInUtcMatchTheBruteForce() {
    Random r = new Random(20261207);
    int checked = 0;
    for (int i = 0; i < 300; i++) {
      Cron c = cron(r);
      ScheduleSpec spec;
      try {
        spec = ScheduleSpec.cron(c.text);
      } catch (InvalidScheduleException impossible) {
        continue; // e.g. day 31 of February only
      }
      Instant from = Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofHours(r.nextInt(24 * 365)));
      Instant to = from.plus(Duration.ofDays(45));
      assertThat(computed(spec, from, to)).as(c.text).isEqualTo(bruteForce(c, ZoneOffset.UTC, from, to));
      checked++;
    }
    assertThat(checked).isGreaterThan(250);
  }

  @Test
  void randomExpressionsAcrossDaylightSavingTransitionsMatchTheBruteForce() {
    Random r = new Random(7);
    List<String> zones = List.of("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Australia/Adelaide");
    int checked = 0;
    for (String zoneName : zones) {
      ZoneId zone = ZoneId.of(zoneName);
      ZoneRules rules = zone.getRules();
      ZoneOffsetTransition t1 = rules.nextTransition(Instant.parse("2026-01-01T00:00:00Z"));
      ZoneOffsetTransition t2 = rules.nextTransition(t1.getInstant());
      for (ZoneOffsetTransition t : List.of(t1, t2)) {
        for (int i = 0; i < 60; i++) {
          Cron c = cron(r);
          // Days and months that always include the transition day, so the rules are exercised.
          String text = c.minute.text + " " + c.hour.text + " * * *";
          Cron daily = new Cron(text, c.minute, c.hour, all(1, 31), all(1, 12), all(0, 7));
          Instant from = t.getInstant().minus(Duration.ofHours(6 + r.nextInt(12)));
          Instant to = t.getInstant().plus(Duration.ofHours(12));
          assertThat(computed(ScheduleSpec.cron(text, zoneName), from, to))
              .as(zoneName + " " + text + " from " + from)
              .isEqualTo(bruteForce(daily, zone, from, to));
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(480);
  }

  private static Field all(int min, int max) {
    TreeSet<Integer> values = new TreeSet<>();
    for (int v = min; v <= max; v++) {
      values.add(v);
    }
    return new Field("*", values, true);
  }
}
