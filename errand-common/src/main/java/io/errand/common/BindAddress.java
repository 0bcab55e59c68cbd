package io.errand.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule of where the API may listen: beyond this machine only with a token, because the
 * API runs tasks, and anyone who can reach an open port could run commands through an
 * {@code exec} queue. The config reader checks it (to point at the file's line) and the API
 * server checks it again when it is built, whoever configured it.
 */
public final class BindAddress {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

  private BindAddress() {}

  /**
   * Whether {@code bind} is this machine only: 127.0.0.0/8, ::1 or localhost. Decided without a
   * DNS lookup; a host name other than localhost counts as reachable from outside.
   *
   * @throws IllegalArgumentException if {@code bind} is neither an IP address nor a host name;
   *     the message says what it must be and shows it
   */
  public static boolean isLoopback(String bind) {
    String b = bind.startsWith("[") && bind.endsWith("]")
        ? bind.substring(1, bind.length() - 1) : bind;
    if (b.isEmpty()) {
      throw new IllegalArgumentException("must be an address such as 127.0.0.1, 0.0.0.0 or ::1,"
          + " was empty");
    }
    if (b.toLowerCase(Locale.ROOT).equals("localhost")) {
      return true;
    }
    if (IPV4.matcher(b).matches()) {
      // Checked here rather than by InetAddress, which looks up a bad literal as a host name.
      String[] octets = b.split("\\.");
      for (String o : octets) {
        if (Integer.parseInt(o) > 255) {
          throw new IllegalArgumentException("is not a valid IP address: '" + bind + "'");
        }
      }
      return octets[0].equals("127");
    }
    if (b.contains(":")) {
      try {
        // An IPv6 literal is parsed, never looked up.
        return InetAddress.getByName(b).isLoopbackAddress();
      } catch (UnknownHostException | SecurityException e) {
        throw new IllegalArgumentException("is not a valid IP address: '" + bind + "'");
      }
    }
    if (!HOST.matcher(b).matches()) {
      throw new IllegalArgumentException("must be an IP address or host name such as 127.0.0.1,"
          + " 0.0.0.0 or ::1, was '" + bind + "'");
    }
    return false;
  }

  /**
   * What is wrong with listening on {@code bind} with or without a token, as the problem of the
   * token setting; empty when nothing is.
   *
   * @param bindName the setting {@code bind} came from, e.g. {@code server.bind}
   * @throws IllegalArgumentException as {@link #isLoopback} does
   */
  public static Optional<String> tokenProblem(String bindName, String bind, boolean hasToken) {
    if (hasToken || isLoopback(bind)) {
      return Optional.empty();
    }
    return Optional.of("is required when " + bindName + " is '" + bind + "', which is not a"
        + " loopback address: anyone who can reach the port could run tasks; set a token"
        + " (e.g. token: ${ERRAND_TOKEN}) or bind 127.0.0.1");
  }
}
