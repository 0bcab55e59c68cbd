package io.errand.server.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/**
 * Durations of the command line: what {@link io.errand.api.DurationText} reads ({@code 250ms},
 * {@code 5s}, {@code 2m}, {@code 1h}...), or a bare number of seconds in ASCII digits, as seed
 * 000's monitor took them ({@code --interval 5 --duration 300}); at most 100 years.
 */
final class CliDurations implements ITypeConverter<Duration> {
  private final DurationConverter units = new DurationConverter();

  @Override
  public Duration convert(String value) {
    String v = value.strip();
    // At most 9 digits: 999999999 s is under 32 years, within the longest duration taken.
    if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9') && v.length() <= 9) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    return units.convert(v);
  }
}
