package io.errand.http;

import io.errand.api.ScheduleSpec;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schedule's spec in words, for people reading the API and the dashboard ("every day at
 * 02:30, Europe/Berlin"). Common cron shapes are spelt out; any other expression is shown as it
 * is, with its zone. The words are for reading only: the spec's text is what the API takes back.
 */
final class SpecWords {
  private static final Map<String, String> ALIASES = Map.of(
      "@yearly", "every year on 1 January at 00:00",
      "@annually", "every year on 1 January at 00:00",
      "@monthly", "every month on day 1 at 00:00",
      "@weekly", "every Sunday at 00:00",
      "@daily", "every day at 00:00",
      "@midnight", "every day at 00:00",
      "@hourly", "every hour at minute 00");
  private static final String[] DAYS =
      {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  private static final Pattern NUMBER = Pattern.compile("\\d{1,2}");
  private static final Pattern STEP = Pattern.compile("\\*/(\\d{1,2})");

  private SpecWords() {}

  /** {@code spec} in words. */
  static String of(ScheduleSpec spec) {
    return switch (spec) {
      case ScheduleSpec.Interval i -> "every " + duration(i.period());
      case ScheduleSpec.Once o -> "once, at " + o.at();
      case ScheduleSpec.Cron c -> cron(c.expression().strip())
          + (c.zone().equals(ZoneOffset.UTC) ? ", UTC" : ", " + c.zone().getId());
    };
  }

  private static String cron(String expression) {
    String alias = ALIASES.get(expression.toLowerCase(Locale.ROOT));
    if (alias != null) {
      return alias;
    }
    String[] f = expression.split("\\s+");
    if (f.length != 5) {
      return "cron " + expression;
    }
    boolean everyDay = f[2].equals("*") && f[3].equals("*");
    Matcher step = STEP.matcher(f[0]);
    if (step.matches() && f[1].equals("*") && everyDay && f[4].equals("*")) {
      return "every " + step.group(1) + " minutes";
    }
    if (NUMBER.matcher(f[0]).matches() && f[1].equals("*") && everyDay && f[4].equals("*")) {
      return "every hour at minute " + two(f[0]);
    }
    if (NUMBER.matcher(f[0]).matches() && NUMBER.matcher(f[1]).matches() && everyDay) {
      String at = " at " + two(f[1]) + ":" + two(f[0]);
      if (f[4].equals("*")) {
        return "every day" + at;
      }
      if (f[4].matches("[0-7]")) {
        return "every " + DAYS[Integer.parseInt(f[4])] + at;
      }
      if (f[4].equals("1-5")) {
        return "every weekday (Monday to Friday)" + at;
      }
    }
    return "cron " + expression;
  }

  private static String two(String n) {
    return n.length() == 1 ? "0" + n : n;
  }

  private static String duration(Duration d) {
    long s = d.getSeconds();
    if (d.getNano() == 0) {
      if (s % 86_400 == 0) {
        return plural(s / 86_400, "day");
      }
      if (s % 3_600 == 0) {
        return plural(s / 3_600, "hour");
      }
      if (s % 60 == 0) {
        return plural(s / 60, "minute");
      }
      return plural(s, "second");
    }
    return d.toString();
  }

  private static String plural(long n, String unit) {
    return n == 1 ? unit : n + " " + unit + "s";
  }
}
