package io.errand.server.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.errand.api.DurationText;
import io.errand.common.SettingException;
import io.errand.common.Suggestions;
import io.errand.common.SubstitutedText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code options} block of one queue or supervisor, with readers that check types and name
 * the key path in every error. {@code ${ENV}} references are already replaced; which variables
 * an option read is kept ({@link #variables(String)}), so that a handler can count the ones
 * behind a secret option among the server's secrets ({@link #markSecret(String)}).
 */
public final class HandlerSettings {
  private final String owner;
  private final String path;
  private final JsonNode options;
  private final Path dataDir;
  private final SecretEnv secretEnv;

  /**
   * Settings of {@code owner}, with secrets of their own: only {@code ERRAND_TOKEN} is a secret
   * variable to begin with.
   *
   * @param owner   the queue or supervisor name
   * @param path    the key path of the options block, e.g. {@code queues.mail.options}
   * @param options the block; null or missing means empty
   * @param dataDir the server's data directory (workspaces and such go under it by default)
   */
  public HandlerSettings(String owner, String path, JsonNode options, Path dataDir) {
    this(owner, path, options, dataDir, new SecretEnv());
  }

  /**
   * Settings of {@code owner}.
   *
   * @param owner     the queue or supervisor name
   * @param path      the key path of the options block, e.g. {@code queues.mail.options}
   * @param options   the block; null or missing means empty
   * @param dataDir   the server's data directory (workspaces and such go under it by default)
   * @param secretEnv the server's secret variables, shared by all its handlers
   */
  public HandlerSettings(String owner, String path, JsonNode options, Path dataDir,
      SecretEnv secretEnv) {
    this.owner = owner;
    this.path = path;
    this.options = options == null || options.isNull() || options.isMissingNode()
        ? JsonNodeFactory.instance.objectNode() : options;
    this.dataDir = dataDir;
    this.secretEnv = Objects.requireNonNull(secretEnv, "secretEnv");
    if (!this.options.isObject()) {
      throw new SettingException(path, "must be a map of options, was " + this.options.getNodeType()
          .toString().toLowerCase());
    }
  }

  /** The queue or supervisor these settings belong to. */
  public String owner() {
    return owner;
  }

  /** The key path of the options block. */
  public String path() {
    return path;
  }

  /** The server's data directory. */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * The names of the server's environment variables that hold its secrets. Complete only once
   * every handler is created: read it when a task runs.
   */
  public SecretEnv secretEnv() {
    return secretEnv;
  }

  /**
   * The environment variables that option {@code key} read through {@code ${NAME}}, in its
   * text or anywhere inside it; empty when it is unset or written out.
   */
  public Set<String> variables(String key) {
    return SubstitutedText.variablesIn(options.get(key));
  }

  /**
   * Counts the environment variables option {@code key} read among the server's secrets (see
   * {@link #variables(String)}), so that no program a task runs inherits them. Call it for
   * every option whose value is a secret: a token, a password, a credential header.
   */
  public void markSecret(String key) {
    secretEnv.addAll(variables(key));
  }

  /** The whole block, for handlers with structured options. */
  public JsonNode raw() {
    return options;
  }

  /** The key path of option {@code key}, for errors of the handler's own. */
  public String pathOf(String key) {
    return path + "." + key;
  }

  /**
   * Refuses keys other than {@code allowed}, suggesting the closest allowed one.
   *
   * @throws SettingException naming the first unknown key
   */
  public void allowOnly(String... allowed) {
    Set<String> known = Set.of(allowed);
    for (Iterator<String> it = options.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        throw new SettingException(pathOf(k), "unknown option" + Suggestions.hint(k, known)
            + "; known options are " + String.join(", ", allowed));
      }
    }
  }

  /** Option {@code key} as text, if set. */
  public Optional<String> string(String key) {
    JsonNode n = options.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isValueNode() || n.isBinary()) {
      throw new SettingException(pathOf(key), "must be text, was " + kind(n));
    }
    return Optional.of(n.asText());
  }

  /** Option {@code key} as text. @throws SettingException if it is missing */
  public String requireString(String key) {
    return string(key).filter(s -> !s.isBlank()).orElseThrow(
        () -> new SettingException(pathOf(key), "is required"));
  }

  /** Option {@code key} as a list of text (a single text counts as a list of one). */
  public List<String> stringList(String key) {
    JsonNode n = options.get(key);
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.isValueNode()) {
      out.add(n.asText());
      return out;
    }
    if (!n.isArray()) {
      throw new SettingException(pathOf(key), "must be a list of text, was " + kind(n));
    }
    for (JsonNode e : n) {
      if (!e.isValueNode()) {
        throw new SettingException(pathOf(key), "must be a list of text, has " + kind(e));
      }
      out.add(e.asText());
    }
    return out;
  }

  /**
   * Option {@code key} as a duration ({@code 30s}, {@code 5m}...) of at most 100 years, or
   * {@code dflt}.
   *
   * @throws SettingException if it is not a duration, is negative or is longer than 100 years
   */
  public Duration duration(String key, Duration dflt) {
    Optional<String> s = string(key);
    if (s.isEmpty()) {
      return dflt;
    }
    try {
      Duration d = DurationText.parse(s.get());
      if (d.isNegative()) {
        throw new SettingException(pathOf(key), "must not be negative, was " + s.get());
      }
      return d;
    } catch (DurationText.TooLongException e) {
      throw new SettingException(pathOf(key), "must be zero or more and "
          + DurationText.AT_MOST_LONGEST + ", was '" + s.get() + "'");
    } catch (IllegalArgumentException e) {
      throw new SettingException(pathOf(key), e.getMessage());
    }
  }

  /** Option {@code key} as an int in {@code [min, max]}, or {@code dflt}. */
  public int integer(String key, int dflt, int min, int max) {
    JsonNode n = options.get(key);
    if (n == null || n.isNull()) {
      return dflt;
    }
    int v;
    if (n.isIntegralNumber() && n.canConvertToInt()) {
      v = n.asInt();
    } else if (n.isTextual()) {
      try {
        v = Integer.parseInt(n.asText().trim());
      } catch (NumberFormatException e) {
        throw new SettingException(pathOf(key), "must be a whole number, was '" + n.asText()
            + "'");
      }
    } else {
      throw new SettingException(pathOf(key), "must be a whole number, was " + n);
    }
    if (v < min || v > max) {
      throw new SettingException(pathOf(key), "must be between " + min + " and " + max
          + ", was " + v);
    }
    return v;
  }

  /** Option {@code key} as true/false, or {@code dflt}. */
  public boolean bool(String key, boolean dflt) {
    JsonNode n = options.get(key);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    if (n.isTextual() && (n.asText().equalsIgnoreCase("true") || n.asText().equalsIgnoreCase(
        "false"))) {
      return Boolean.parseBoolean(n.asText());
    }
    throw new SettingException(pathOf(key), "must be true or false, was " + n);
  }

  private static String kind(JsonNode n) {
    return n.getNodeType().toString().toLowerCase();
  }
}
