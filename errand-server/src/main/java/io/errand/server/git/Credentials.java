package io.errand.server.git;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.api.NonRetryableException;
import io.errand.common.Secret;
import io.errand.common.SettingException;
import io.errand.common.Suggestions;
import io.errand.server.handler.HandlerSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The {@code credentials} option: reference names a task may give, each saying where the secret
 * is ({@code {env: VAR}} or {@code {file: path}}, optionally with {@code username}). Tasks carry
 * only the name, so no secret is ever in a task record.
 *
 * <p>The secret is read when a task runs, not at start-up, so a rotated token is picked up
 * without a restart. Its text is {@code username:password}, or a bare token, which is sent as
 * the password of the reference's {@code username} ({@code oauth2} when not set: GitLab needs
 * that name for OAuth tokens, and GitHub, Gitea and GitLab accept any name with a personal
 * token).
 */
final class Credentials {
  private static final String DEFAULT_USER = "oauth2";

  /** Where one reference's secret is. Exactly one of {@code env} and {@code file} is set. */
  private record Source(String env, Path file, String username) {}

  /**
   * A secret read for one task.
   *
   * @param name     the reference name (safe to print)
   * @param username the user name (printed nowhere either, as it may be half of the secret)
   * @param password the password or token
   */
  record Credential(String name, String username, Secret password) {
    /** The value of an HTTP {@code Authorization} header carrying this credential. */
    String authorization() {
      return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password.reveal())
          .getBytes(StandardCharsets.UTF_8));
    }

    /** Every form in which the secret could show up in text, for redaction. */
    List<String> secrets() {
      return List.of(password.reveal(), authorization().substring("Basic ".length()));
    }

    @Override
    public String toString() {
      return "credentials '" + name + "'";
    }
  }

  private final Map<String, Source> sources;
  private final UnaryOperator<String> environment;

  private Credentials(Map<String, Source> sources, UnaryOperator<String> environment) {
    this.sources = sources;
    this.environment = environment;
  }

  /**
   * Reads the {@code credentials} option of {@code settings}.
   *
   * @param environment reads an environment variable (the process's, or a test's)
   * @throws SettingException naming the entry that is malformed
   */
  static Credentials parse(HandlerSettings settings, UnaryOperator<String> environment) {
    JsonNode node = settings.raw().get("credentials");
    Map<String, Source> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return new Credentials(out, environment);
    }
    String path = settings.pathOf("credentials");
    if (!node.isObject()) {
      throw new SettingException(path, "must be a map of reference name to {env: VAR} or"
          + " {file: path}");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = path + "." + e.getKey();
      JsonNode v = e.getValue();
      if (!v.isObject()) {
        throw new SettingException(p, "must be {env: VAR} or {file: path}, was "
            + v.getNodeType().toString().toLowerCase());
      }
      for (Iterator<String> keys = v.fieldNames(); keys.hasNext(); ) {
        String k = keys.next();
        if (!List.of("env", "file", "username").contains(k)) {
          throw new SettingException(p + "." + k, "unknown key" + Suggestions.hint(k,
              List.of("env", "file", "username")) + "; known keys are env, file, username");
        }
      }
      String env = text(v, "env", p);
      String file = text(v, "file", p);
      if ((env == null) == (file == null)) {
        throw new SettingException(p, "needs exactly one of env (a variable's name) and file"
            + " (a path)");
      }
      out.put(e.getKey(), new Source(env, file == null ? null : Path.of(file),
          text(v, "username", p)));
    }
    return new Credentials(out, environment);
  }

  /** The environment variables the references read their secrets from. */
  Set<String> variables() {
    Set<String> out = new LinkedHashSet<>();
    sources.values().stream().map(Source::env).filter(Objects::nonNull).forEach(out::add);
    return out;
  }

  /**
   * The secret of reference {@code name}, read now.
   *
   * @throws NonRetryableException if there is no such reference, or its secret cannot be read;
   *     the message says where it looked, never what it found
   */
  Credential resolve(String name) {
    Source s = sources.get(name);
    if (s == null) {
      throw new NonRetryableException("unknown credentials '" + name + "'" + Suggestions.hint(
          name, sources.keySet()) + ": the handler's credentials option defines "
          + (sources.isEmpty() ? "none" : String.join(", ", sources.keySet())));
    }
    String text;
    if (s.env() != null) {
      text = environment.apply(s.env());
      if (text == null || text.isBlank()) {
        throw new NonRetryableException("credentials '" + name + "': environment variable "
            + s.env() + " is not set on the server");
      }
    } else {
      try {
        text = Files.readString(s.file(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new NonRetryableException("credentials '" + name + "': cannot read " + s.file()
            + " (" + e.getClass().getSimpleName() + "): check that it exists and that the"
            + " server's user may read it");
      }
      if (text.isBlank()) {
        throw new NonRetryableException("credentials '" + name + "': " + s.file()
            + " is empty");
      }
    }
    String t = text.strip();
    int colon = t.indexOf(':');
    if (colon > 0 && s.username() == null) {
      String password = t.substring(colon + 1).strip();
      if (password.isEmpty()) {
        throw new NonRetryableException("credentials '" + name + "': the text is 'user:' with"
            + " no password after the colon");
      }
      return new Credential(name, t.substring(0, colon), Secret.of(password));
    }
    return new Credential(name, s.username() == null ? DEFAULT_USER : s.username(),
        Secret.of(t));
  }

  private static String text(JsonNode v, String key, String path) {
    JsonNode n = v.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      throw new SettingException(path + "." + key, "must be non-blank text");
    }
    return n.asText();
  }
}
