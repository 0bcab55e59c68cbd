package io.errand.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.api.DurationText;
import io.errand.common.Suggestions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One value of a config file with its file and key path, and readers that check its type and
 * range. Every reader fails with a {@link ConfigException} naming the file and the key path, so
 * the classes that read sections never build an error message's prefix themselves.
 *
 * <p>A key that is absent or {@code null} is "unset": readers return empty and the caller
 * applies its default. Values may be given as text where a number is expected, because
 * {@code ${VAR}} substitution always yields text.
 */
final class ConfigNode {
  private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?");
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?", Pattern.CASE_INSENSITIVE);

  private final Path file;
  private final String path;
  private final JsonNode node;

  ConfigNode(Path file, String path, JsonNode node) {
    this.file = file;
    this.path = path;
    this.node = node;
  }

  String path() {
    return path;
  }

  /** The value itself, or null when unset. */
  JsonNode raw() {
    return isSet() ? node : null;
  }

  boolean isSet() {
    return node != null && !node.isNull() && !node.isMissingNode();
  }

  /** An error about this key. */
  ConfigException error(String problem) {
    return new ConfigException(file, path, problem);
  }

  /** An error about the value at {@code below}, a key path inside this value's. */
  ConfigException errorAt(String below, String problem) {
    return new ConfigException(file, below, problem);
  }

  /** The key path of child {@code key}. */
  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Child {@code key} of this map; unset when this is unset or has no such key. */
  ConfigNode get(String key) {
    requireMapIfSet();
    return new ConfigNode(file, pathOf(key), isSet() ? node.get(key) : null);
  }

  /** The keys of this map in file order; none when unset. */
  List<String> keys() {
    requireMapIfSet();
    List<String> keys = new ArrayList<>();
    if (isSet()) {
      node.fieldNames().forEachRemaining(keys::add);
    }
    return keys;
  }

  /**
   * Refuses keys other than {@code known}, suggesting the closest known one, so that a typo is
   * an error at start-up instead of a setting silently left at its default.
   */
  void allowOnly(Collection<String> known) {
    for (String k : keys()) {
      if (!known.contains(k)) {
        throw new ConfigException(file, pathOf(k), "unknown key" + Suggestions.hint(k, known)
            + "; known keys here are " + String.join(", ", known));
      }
    }
  }

  /** This value as text; numbers and true/false are given as their text. */
  Optional<String> text() {
    if (!isSet()) {
      return Optional.empty();
    }
    if (!node.isValueNode() || node.isBinary()) {
      throw error("must be text, was " + describe(node));
    }
    return Optional.of(node.asText());
  }

  /** This value as non-blank text. @throws ConfigException if it is unset or blank */
  String requireText(String what) {
    return text().filter(s -> !s.isBlank()).orElseThrow(() -> error("is required: " + what));
  }

  /** This value as a whole number in {@code [min, max]}. */
  Optional<Integer> integer(int min, int max) {
    if (!isSet()) {
      return Optional.empty();
    }
    long v;
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      v = node.asLong();
    } else if (node.isTextual() && node.asText().strip().matches("[+-]?\\d{1,18}")) {
      v = Long.parseLong(node.asText().strip());
    } else {
      throw error("must be a whole number" + (bounded(max) ? " between " + min + " and " + max
          : " of at least " + min) + ", was " + describe(node));
    }
    if (v < min || v > max) {
      throw error("must be " + (bounded(max) ? "between " + min + " and " + max
          : "at least " + min) + ", was " + v);
    }
    return Optional.of((int) v);
  }

  /** This value as a number in {@code [min, max]}. */
  Optional<Double> decimal(double min, double max) {
    if (!isSet()) {
      return Optional.empty();
    }
    double v;
    if (node.isNumber()) {
      v = node.asDouble();
    } else if (node.isTextual() && NUMBER.matcher(node.asText().strip()).matches()) {
      v = Double.parseDouble(node.asText().strip());
    } else {
      throw error("must be a number between " + min + " and " + max + ", was " + describe(node));
    }
    if (v < min || v > max) {
      throw error("must be between " + min + " and " + max + ", was " + v);
    }
    return Optional.of(v);
  }

  /**
   * This value as a duration: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or
   * ISO-8601. Never negative, never longer than {@link DurationText#LONGEST}.
   *
   * @param bareUnit   what a bare number counts (Yao writes {@code timeout} in seconds and
   *                   {@code attempt_after} in milliseconds), or null to require a unit
   * @param allowZero  whether zero is allowed; if not, the duration must be positive
   */
  Optional<Duration> duration(ChronoUnit bareUnit, boolean allowZero) {
    if (!isSet()) {
      return Optional.empty();
    }
    String forms = "a duration like 250ms, 30s, 5m, 2h, 1d or PT30S"
        + (bareUnit == null ? "" : " (a bare number counts " + unitName(bareUnit) + ")");
    if (!node.isValueNode() || node.isBoolean()) {
      throw error("must be " + forms + ", was " + describe(node));
    }
    String t = node.asText().strip();
    Duration d;
    if (NUMBER.matcher(t).matches()) {
      if (bareUnit == null) {
        throw error("needs a unit: write " + t + "s, " + t + "ms or " + t + "m, not a bare "
            + "number");
      }
      // Saturates at Long.MAX_VALUE nanoseconds (292 years) for more digits: too long below.
      d = Duration.ofNanos(Math.round(Double.parseDouble(t) * bareUnit.getDuration().toNanos()));
    } else {
      try {
        d = DurationText.parse(t);
      } catch (DurationText.TooLongException e) {
        d = null;
      } catch (IllegalArgumentException e) {
        throw error("must be " + forms + ", was '" + t + "'");
      }
    }
    String range = allowZero ? "zero or more" : "more than zero";
    if (d == null || d.compareTo(DurationText.LONGEST) > 0) {
      throw error("must be " + range + " and " + DurationText.AT_MOST_LONGEST + ", was '" + t
          + "'");
    }
    if (d.isNegative() || (!allowZero && d.isZero())) {
      throw error("must be " + range + ", was '" + t + "'");
    }
    return Optional.of(d);
  }

  /**
   * This value as one of {@code type}'s constants, written in lower case with '_' as in
   * {@code on_failure}; case is ignored.
   */
  <E extends Enum<E>> Optional<E> choice(Class<E> type) {
    Optional<String> t = text();
    if (t.isEmpty()) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    String given = t.get().strip().toLowerCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(given)) {
        return Optional.of(e);
      }
    }
    throw error("must be one of " + String.join(", ", names) + ", was '" + t.get() + "'"
        + Suggestions.hint(given, names));
  }

  /**
   * This value as a number of bytes: a bare number, or one with a unit: {@code KiB}, {@code MiB}
   * and {@code GiB} (and {@code k}, {@code m}, {@code g}) count in 1024s, {@code KB}, {@code MB}
   * and {@code GB} in 1000s. At least 1.
   */
  Optional<Long> bytes() {
    if (!isSet()) {
      return Optional.empty();
    }
    String t = node.isValueNode() ? node.asText().strip() : "";
    var m = SIZE.matcher(t);
    if (!m.matches() || m.group(1).length() > 15) {
      throw error("must be a size like 1048576, 512KiB, 1MiB or 10MB, was " + describe(node));
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long factor = switch (unit) {
      case "kb" -> 1_000L;
      case "k", "kib" -> 1_024L;
      case "mb" -> 1_000_000L;
      case "m", "mib" -> 1_048_576L;
      case "gb" -> 1_000_000_000L;
      case "g", "gib" -> 1_073_741_824L;
      default -> 1L;
    };
    if (n < 1) {
      throw error("must be at least 1 byte, was " + t);
    }
    return Optional.of(n * factor);
  }

  /** This value as a path; a relative one is resolved against {@code base}. */
  Optional<Path> path(Path base) {
    return text().map(String::strip).map(t -> {
      if (t.isEmpty()) {
        throw error("must be a path, was empty");
      }
      try {
        return base.resolve(t).toAbsolutePath().normalize();
      } catch (InvalidPathException e) {
        throw error("is not a valid path: " + e.getReason());
      }
    });
  }

  /** The entries of this map in file order, each as a node of its own. */
  Map<String, ConfigNode> entries() {
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    for (String k : keys()) {
      out.put(k, get(k));
    }
    return out;
  }

  private void requireMapIfSet() {
    if (isSet() && !node.isObject()) {
      throw error("must be a map of keys, was " + describe(node));
    }
  }

  /** How a value is shown in an error: scalars as themselves, containers by kind. */
  static String describe(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "empty";
    }
    if (n.isObject()) {
      return "a map";
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isTextual()) {
      return "'" + n.asText() + "'";
    }
    return n.asText();
  }

  /** Whether {@code max} is a real bound rather than "no upper bound". */
  private static boolean bounded(int max) {
    return max != Integer.MAX_VALUE;
  }

  private static String unitName(ChronoUnit unit) {
    return unit == ChronoUnit.MILLIS ? "milliseconds" : unit.toString().toLowerCase(Locale.ROOT);
  }
}
