package io.errand.server.handler;

import io.errand.common.Redaction;
import io.errand.common.Secret;
import io.errand.common.SettingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The {@code url} of an http queue, split into what is sent and what is shown. Credentials in
 * the URL ({@code https://user:pass@host/}) become a Basic {@code Authorization} header (the JDK
 * client would ignore them) and never appear in the request line or in any text.
 *
 * @param uri           the URL to send to, without user info or fragment
 * @param shown         the URL as it may be printed (see {@link Redaction#url(String)})
 * @param authorization the Basic credentials from the URL, or null
 * @param secrets       every form of the URL's credentials, for {@link Redaction#scrub}
 */
record HttpTarget(URI uri, String shown, Secret authorization, List<String> secrets) {

  /**
   * Reads {@code raw}, the value of the option at {@code path}.
   *
   * @throws SettingException if it is not an absolute http or https URL with a host; the
   *     message shows the URL redacted
   */
  static HttpTarget parse(String raw, String path) {
    String text = raw.trim();
    String shown = Redaction.url(text);
    URI u;
    try {
      u = new URI(text);
    } catch (URISyntaxException e) {
      // e.getMessage() quotes the input, credentials and all: only the reason is safe to show
      // (not its index either, which counts in the unmasked text).
      throw new SettingException(path, "is not a valid URL (" + e.getReason() + "), was '"
          + shown + "'");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new SettingException(path, "must be an http or https URL, was '" + shown + "'");
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      throw new SettingException(path, "must name a host, was '" + shown + "'");
    }
    StringBuilder sb = new StringBuilder(scheme).append("://").append(u.getHost());
    if (u.getPort() != -1) {
      sb.append(':').append(u.getPort());
    }
    if (u.getRawPath() != null) {
      sb.append(u.getRawPath());
    }
    if (u.getRawQuery() != null) {
      sb.append('?').append(u.getRawQuery());
    }
    URI clean = URI.create(sb.toString());
    List<String> secrets = new ArrayList<>(Redaction.queryCredentials(u.getRawQuery()));
    Secret auth = null;
    String userInfo = u.getUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      String basic = Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
      auth = Secret.of("Basic " + basic);
      secrets.add(u.getRawUserInfo());
      secrets.add(userInfo);
      secrets.add(basic);
      int colon = userInfo.indexOf(':');
      secrets.add(colon < 0 ? userInfo : userInfo.substring(0, colon));
      if (colon >= 0) {
        secrets.add(userInfo.substring(colon + 1));
      }
    }
    return new HttpTarget(clean, shown, auth, List.copyOf(secrets));
  }

  /** Whether the URL is plain http. */
  boolean plain() {
    return uri.getScheme().equals("http");
  }

  @Override
  public String toString() {
    return shown;
  }
}
