package io.errand.server.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.common.Secret;
import io.errand.common.SettingException;
import io.errand.common.Suggestions;
import io.errand.common.SubstitutedText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The environment of an exec handler's program, from its {@code inherit_env} and {@code env}
 * options:
 *
 * <ul>
 *   <li>{@code inherit_env: true} (the default): the server's environment without the server's
 *       secrets ({@link SecretEnv});
 *   <li>{@code inherit_env: false}: nothing of the server's environment;
 *   <li>{@code inherit_env: [PATH, HOME, "LC_*"]}: only these variables; a name ending in
 *       {@code *} stands for every name that starts with the rest. A pattern never passes a
 *       secret of the server; a name written out does, since that is no accident;
 *   <li>then {@code env}: variables set for the program. A value is text, or
 *       {@code {secret: text}} for a value that is a secret: its text is masked in everything
 *       the program's output becomes (result, progress, error), and the variables it read are
 *       counted among the server's secrets.
 * </ul>
 *
 * <p>A value the program gets is treated as a secret too when it read a secret variable of the
 * server ({@code env: {TOKEN: "${ERRAND_TOKEN}"}}) or is one ({@code inherit_env:
 * [ERRAND_TOKEN]}). Which variables are secrets is read when a task runs: other handlers add
 * theirs while the server starts.
 */
final class ExecEnvironment {
  /** What {@code inherit_env} lets through. */
  private enum Mode { ALL, NONE, LISTED }

  private static final Pattern LISTED_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\*?");
  private static final String SECRET_KEY = "secret";
  private static final String LIST_EXAMPLE = "[PATH, HOME, LANG, \"LC_*\"]";

  /**
   * One variable of {@code env}.
   *
   * @param plain     its value, or null when it is written as {@code {secret: ...}}
   * @param secret    its value when written as {@code {secret: ...}}, else null
   * @param variables the server's variables its value read
   */
  private record Entry(String plain, Secret secret, Set<String> variables) {
    String value() {
      return plain != null ? plain : secret.reveal();
    }

    @Override
    public String toString() {
      return "env value";
    }
  }

  private final Mode mode;
  private final Set<String> names;
  private final List<String> prefixes;
  private final Map<String, Entry> env;
  private final SecretEnv secrets;
  private final Map<String, String> server;

  private ExecEnvironment(Mode mode, Set<String> names, List<String> prefixes,
      Map<String, Entry> env, SecretEnv secrets, Map<String, String> server) {
    this.server = server;
    this.mode = mode;
    this.names = names;
    this.prefixes = prefixes;
    this.env = env;
    this.secrets = secrets;
  }

  /**
   * Reads {@code inherit_env} and {@code env} of {@code settings}, and counts the variables read
   * by {@code env}'s secret values among the server's secrets.
   *
   * @param server the server's environment, which programs inherit from
   * @throws SettingException naming the entry that is wrong; never showing an {@code env} value
   */
  static ExecEnvironment read(HandlerSettings settings, Map<String, String> server) {
    Map<String, Entry> env = env(settings);
    env.values().stream().filter(e -> e.secret() != null)
        .forEach(e -> settings.secretEnv().addAll(e.variables()));
    JsonNode n = settings.raw().get("inherit_env");
    String path = settings.pathOf("inherit_env");
    if (n == null || n.isNull()) {
      return new ExecEnvironment(Mode.ALL, Set.of(), List.of(), env, settings.secretEnv(),
          server);
    }
    if (n.isBoolean() || (n.isTextual() && (n.asText().strip().equalsIgnoreCase("true")
        || n.asText().strip().equalsIgnoreCase("false")))) {
      boolean all = n.isBoolean() ? n.asBoolean() : n.asText().strip().equalsIgnoreCase("true");
      return new ExecEnvironment(all ? Mode.ALL : Mode.NONE, Set.of(), List.of(), env,
          settings.secretEnv(), server);
    }
    if (!n.isArray()) {
      // A value read from the environment is not shown: it could be anything.
      boolean shown = n.isTextual() && !(n instanceof SubstitutedText);
      String name = n.asText().strip();
      throw new SettingException(path, "must be true, false or a list of variable names such as "
          + LIST_EXAMPLE + ", was " + (shown ? "'" + n.asText() + "'" : kind(n))
          + (shown && LISTED_NAME.matcher(name).matches() && name.equals(name.toUpperCase(
          Locale.ROOT)) ? "; write a single name as a list: [" + name + "]" : ""));
    }
    Set<String> names = new LinkedHashSet<>();
    List<String> prefixes = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode e = n.get(i);
      String at = path + "[" + i + "]";
      if (!e.isTextual()) {
        throw new SettingException(at, "must be a variable name such as PATH, was " + kind(e));
      }
      String name = e.asText().strip();
      if (name.equals("*")) {
        throw new SettingException(at, "'*' would pass every variable; write inherit_env: true"
            + " for that (the server's secrets are kept back either way)");
      }
      if (!LISTED_NAME.matcher(name).matches()) {
        String shown = e instanceof SubstitutedText ? "the text it reads" : "'" + name + "'";
        throw new SettingException(at, shown + " is not a variable name; write one name"
            + " per element (letters, digits and '_', not starting with a digit), optionally"
            + " ending in '*' for every name that starts so, e.g. " + LIST_EXAMPLE);
      }
      if (name.endsWith("*")) {
        prefixes.add(name.substring(0, name.length() - 1));
      } else {
        names.add(name);
      }
    }
    return new ExecEnvironment(Mode.LISTED, Collections.unmodifiableSet(names),
        List.copyOf(prefixes), env, settings.secretEnv(), server);
  }

  private static Map<String, Entry> env(HandlerSettings settings) {
    JsonNode n = settings.raw().get("env");
    String path = settings.pathOf("env");
    Map<String, Entry> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw new SettingException(path, "must be a map of names to text, was " + kind(n));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      String at = path + "." + name;
      if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
        throw new SettingException(at, "is not a valid variable name");
      }
      JsonNode v = e.getValue();
      Set<String> variables = SubstitutedText.variablesIn(v);
      if (v != null && v.isObject()) {
        out.put(name, new Entry(null, Secret.of(secretValue(v, at)), variables));
        continue;
      }
      out.put(name, new Entry(text(v, at, "text, or {secret: text} for a secret"), null,
          variables));
    }
    return out;
  }

  /** The text of {@code {secret: text}} at {@code at}. */
  private static String secretValue(JsonNode v, String at) {
    for (Iterator<String> keys = v.fieldNames(); keys.hasNext(); ) {
      String k = keys.next();
      if (!k.equals(SECRET_KEY)) {
        throw new SettingException(at + "." + k, "unknown key" + Suggestions.hint(k,
            List.of(SECRET_KEY)) + "; a value is text, or {secret: text} for a secret");
      }
    }
    String s = text(v.get(SECRET_KEY), at + "." + SECRET_KEY, "the secret's text");
    if (s.isBlank()) {
      throw new SettingException(at + "." + SECRET_KEY, "must not be empty (is a variable it"
          + " reads unset?); give the secret a value, or remove the entry");
    }
    return s;
  }

  /** Text, a number or a boolean as text, as YAML writers expect; never shows the value. */
  private static String text(JsonNode v, String at, String expected) {
    if (v == null || v.isNull() || !v.isValueNode() || v.isBinary()) {
      throw new SettingException(at, "must be " + expected + ", was "
          + (v == null ? "null" : kind(v)));
    }
    String s = v.asText();
    if (s.indexOf('\0') >= 0) {
      throw new SettingException(at, "must not hold a NUL character");
    }
    return s;
  }

  /**
   * Makes {@code child} (a {@link ProcessBuilder}'s environment) the program's environment, but
   * for the task's own variables.
   *
   * @return the values the program gets that are secrets, to mask in its output
   */
  List<String> apply(Map<String, String> child) {
    Set<String> secret = secrets.names();
    List<String> masked = new ArrayList<>();
    child.clear();
    child.putAll(server);
    switch (mode) {
      case ALL -> child.keySet().removeIf(secret::contains);
      case NONE -> child.clear();
      case LISTED -> {
        child.keySet().removeIf(k -> !names.contains(k)
            && (secret.contains(k) || prefixes.stream().noneMatch(k::startsWith)));
        for (String k : names) {
          if (secret.contains(k) && child.get(k) != null) {
            masked.add(child.get(k));
          }
        }
      }
      default -> throw new IllegalStateException("unknown mode " + mode);
    }
    for (Map.Entry<String, Entry> e : env.entrySet()) {
      Entry entry = e.getValue();
      child.put(e.getKey(), entry.value());
      if (entry.secret() != null || entry.variables().stream().anyMatch(secret::contains)) {
        masked.add(entry.value());
      }
    }
    return masked;
  }

  private static String kind(JsonNode n) {
    return n.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
