package io.errand.server.cli;

import io.errand.api.Errand;
import io.errand.server.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations of the command line: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, or a bare
 * number of seconds in ASCII digits, as seed 000's monitor took them ({@code --interval 5
 * --duration 300}); at most 100 years.
 */
final class CliDurations implements ITypeConverter<Duration> {
  private final DurationConverter units = new DurationConverter();

  @Override
  public Duration convert(String value) {
    String v = value.strip();
    Duration d;
    if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9') && v.length() <= 9) {
      d = Duration.ofSeconds(Long.parseLong(v));
    } else {
      d = units.convert(v);
    }
    if (d.compareTo(Errand.LONGEST_DURATION) > 0) {
      throw new TypeConversionException("'" + Format.oneLine(value) + "' is longer than the"
          + " longest duration taken, 36525d (100 years)");
    }
    return d;
  }
}
