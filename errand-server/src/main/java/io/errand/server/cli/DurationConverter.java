package io.errand.server.cli;

import io.errand.api.DurationText;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads command-line durations the way config files take them ({@link DurationText}):
 * {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d} or {@code PT30S}.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

  /** Creates the converter; picocli and the client commands' own converter use it. */
  public DurationConverter() {}

  /**
   * The duration {@code value} names.
   *
   * @throws TypeConversionException saying how to write a duration
   */
  @Override
  public Duration convert(String value) {
    try {
      return DurationText.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
