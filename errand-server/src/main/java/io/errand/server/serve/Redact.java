package io.errand.server.serve;

import java.util.regex.Pattern;

/** Hides credentials in text that is about to be shown. */
final class Redact {
  private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");

  private Redact() {}

  /** {@code url} with any {@code user:password@} replaced by {@code ****@}. */
  static String url(String url) {
    return url == null ? null : USER_INFO.matcher(url).replaceAll("****@");
  }
}
