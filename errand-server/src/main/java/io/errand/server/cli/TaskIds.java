package io.errand.server.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Task ids on the command line, read as the API writes them: ASCII digits, no sign, no leading
 * zero. Java's own parsing also takes "+12", "012" and other scripts' digits ("１２"), which
 * would act on a task the user never named.
 */
final class TaskIds implements ITypeConverter<Long> {
  private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,18}");

  @Override
  public Long convert(String value) {
    if (ID.matcher(value).matches()) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) { // 19 digits beyond Long.MAX_VALUE
        // answered below
      }
    }
    throw new TypeConversionException("'" + Format.oneLine(value) + "' is not a task id; ids"
        + " are positive whole numbers in ASCII digits, without sign or leading zero, e.g. 12");
  }
}
