package io.errand.server.cli;

import io.errand.server.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/**
 * Durations of the command line: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, or a bare
 * number of seconds, as seed 000's monitor took them ({@code --interval 5 --duration 300}).
 */
final class CliDurations implements ITypeConverter<Duration> {
  private final DurationConverter units = new DurationConverter();

  @Override
  public Duration convert(String value) {
    String v = value.strip();
    if (!v.isEmpty() && v.chars().allMatch(Character::isDigit) && v.length() <= 9) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    return units.convert(v);
  }
}
