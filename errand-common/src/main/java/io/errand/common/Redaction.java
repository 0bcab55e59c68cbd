package io.errand.common;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text that people see: error messages, log lines, task records. URLs are
 * printed only through {@link #url(String)}, and text that may echo a secret (a server's error
 * body, an exception's message) goes through {@link #scrub(String, Collection)} first.
 */
public final class Redaction {
  /** What a secret is replaced by. */
  public static final String MASK = "****";

  // scheme://userinfo@ — the user name alone can be a token (https://TOKEN@host), so all of it
  // goes, not just the password.
  private static final Pattern USERINFO =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)@");
  // Query parameters whose names say they carry a credential.
  private static final Pattern SECRET_PARAM = Pattern.compile(
      "(?:token|secret|password|passwd|pwd|key|sig|signature|auth|credential|session)",
      Pattern.CASE_INSENSITIVE);
  /** Secrets shorter than this are not searched for: masking every "a" would hide the text. */
  private static final int SHORTEST_SECRET = 3;

  private Redaction() {}

  /**
   * {@code url} fit to print: its user name and password, and the values of query parameters
   * named like credentials ({@code token}, {@code key}, {@code sig}...), become {@link #MASK}.
   * Works on text that is not a valid URL too, since bad URLs are what errors print.
   *
   * @return the masked URL; null stays null
   */
  public static String url(String url) {
    if (url == null) {
      return null;
    }
    String out = url;
    Matcher m = USERINFO.matcher(out);
    if (m.find()) {
      out = m.group(1) + MASK + "@" + out.substring(m.end());
    } else {
      int at = out.indexOf('@');
      int slash = out.indexOf('/');
      // No scheme, but "user:pass@host/...": the part before '@' is still userinfo.
      if (at > 0 && (slash < 0 || at < slash)) {
        out = MASK + out.substring(at);
      }
    }
    int q = out.indexOf('?');
    if (q < 0) {
      return out;
    }
    int hash = out.indexOf('#', q);
    String query = hash < 0 ? out.substring(q + 1) : out.substring(q + 1, hash);
    String rest = hash < 0 ? "" : out.substring(hash);
    StringBuilder sb = new StringBuilder(out.length()).append(out, 0, q + 1);
    String[] params = query.split("&", -1);
    for (int i = 0; i < params.length; i++) {
      if (i > 0) {
        sb.append('&');
      }
      String p = params[i];
      int eq = p.indexOf('=');
      if (eq > 0 && SECRET_PARAM.matcher(p.substring(0, eq)).find()) {
        sb.append(p, 0, eq + 1).append(MASK);
      } else {
        sb.append(p);
      }
    }
    return sb.append(rest).toString();
  }

  /**
   * The values of the credential-named parameters of {@code rawQuery} (as {@link #url} masks
   * them), raw and decoded, so that text quoting them can be scrubbed too.
   */
  public static List<String> queryCredentials(String rawQuery) {
    List<String> out = new ArrayList<>();
    if (rawQuery == null) {
      return out;
    }
    for (String p : rawQuery.split("&")) {
      int eq = p.indexOf('=');
      if (eq > 0 && SECRET_PARAM.matcher(p.substring(0, eq)).find()) {
        String v = p.substring(eq + 1);
        out.add(v);
        try {
          out.add(URLDecoder.decode(v, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          // Malformed escapes: the raw form is all there is to find.
        }
      }
    }
    return out;
  }

  /**
   * {@code text} with every occurrence of each of {@code secrets} replaced by {@link #MASK}
   * (longest first, so a secret that contains another is masked whole). Secrets shorter than
   * three characters are left alone.
   *
   * @return the masked text; null stays null
   */
  public static String scrub(String text, Collection<String> secrets) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    List<String> longestFirst = secrets.stream()
        .filter(s -> s != null && s.length() >= SHORTEST_SECRET)
        .distinct()
        .sorted(Comparator.comparingInt(String::length).reversed())
        .toList();
    String out = text;
    for (String s : longestFirst) {
      out = replaceIgnoringCase(out, s);
    }
    return out;
  }

  /**
   * {@code value}, a JSON value as plain Java ({@code Map}, {@code List}, text, numbers...), with
   * {@link #scrub} applied to every text in it, map keys included. Maps and lists are copied
   * when there is something to mask; other values are returned as they are.
   */
  public static Object scrubValue(Object value, Collection<String> secrets) {
    if (secrets.isEmpty()) {
      return value;
    }
    if (value instanceof String text) {
      return scrub(text, secrets);
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(scrubValue(k, secrets), scrubValue(v, secrets)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(scrubValue(v, secrets)));
      return out;
    }
    return value;
  }

  // Case-insensitive so that a server echoing a header back upper-cased is masked too.
  private static String replaceIgnoringCase(String text, String secret) {
    String lower = text.toLowerCase(Locale.ROOT);
    String needle = secret.toLowerCase(Locale.ROOT);
    if (lower.length() != text.length()) {
      // Case folding changed lengths (rare scripts): indexes would not line up, match exactly.
      return text.replace(secret, MASK);
    }
    int from = 0;
    int at = lower.indexOf(needle);
    if (at < 0) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length());
    while (at >= 0) {
      sb.append(text, from, at).append(MASK);
      from = at + needle.length();
      at = lower.indexOf(needle, from);
    }
    return sb.append(text, from, text.length()).toString();
  }
}
