package io.errand.server.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.api.NonRetryableException;
import io.errand.common.SettingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The argv of an exec queue, with placeholders that a task's args fill. A placeholder is an
 * element that is exactly {@code {name}}: it becomes one argument, whatever the value holds
 * (spaces, quotes, {@code $(...)}), because no shell ever reads it. The program (element 0) is
 * always written out, so args can choose arguments but never the program.
 */
final class CommandTemplate {
  private static final String NAME = "[A-Za-z_][A-Za-z0-9_-]*";
  private static final Pattern WHOLE = Pattern.compile("\\{" + NAME + "}");
  private static final Pattern ANYWHERE = Pattern.compile(".*\\{" + NAME + "}.*", Pattern.DOTALL);

  private final List<String> argv;
  /** For each element, the arg it is filled from, or null when it is literal. */
  private final List<String> fills;
  private final Set<String> names;

  private CommandTemplate(List<String> argv, List<String> fills) {
    this.argv = List.copyOf(argv);
    this.fills = fills;
    Set<String> n = new LinkedHashSet<>();
    for (String f : fills) {
      if (f != null) {
        n.add(f);
      }
    }
    this.names = Set.copyOf(n);
  }

  /**
   * Reads option {@code key} of {@code settings}: a non-empty list whose first element is the
   * program.
   *
   * @throws SettingException naming the element that is not allowed
   */
  static CommandTemplate read(HandlerSettings settings, String key) {
    String path = settings.pathOf(key);
    JsonNode n = settings.raw().get(key);
    if (n == null || n.isNull() || (n.isArray() && n.isEmpty())) {
      throw new SettingException(path, "is required: the program and its arguments as a list,"
          + " e.g. [\"convert\", \"{input}\", \"{output}\"]");
    }
    if (!n.isArray()) {
      // A single string would have to be split, and splitting is a shell's job, which exec
      // never does: say so rather than guess.
      throw new SettingException(path, "must be a list of the program and its arguments, e.g."
          + " [\"convert\", \"{input}\", \"{output}\"], was " + kind(n));
    }
    List<String> argv = new ArrayList<>();
    List<String> fills = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode e = n.get(i);
      String at = path + "[" + i + "]";
      if (e == null || e.isNull() || !e.isValueNode() || e.isBinary()) {
        throw new SettingException(at, "must be text, was " + (e == null ? "null" : kind(e)));
      }
      String s = e.asText();
      if (s.indexOf('\0') >= 0) {
        throw new SettingException(at, "must not hold a NUL character");
      }
      boolean whole = WHOLE.matcher(s).matches();
      if (i == 0 && (whole || s.isBlank())) {
        throw new SettingException(at, whole
            ? "the program must be written out, not a placeholder, was '" + s + "'"
            : "the program must not be empty");
      }
      if (!whole && ANYWHERE.matcher(s).matches()) {
        throw new SettingException(at, "a placeholder must be a whole argument, was '" + s
            + "'; give it an element of its own, such as \"{name}\"");
      }
      argv.add(s);
      fills.add(whole ? s.substring(1, s.length() - 1) : null);
    }
    return new CommandTemplate(argv, fills);
  }

  /** The program, as configured. */
  String program() {
    return argv.get(0);
  }

  /** The names of the args the placeholders need. */
  Set<String> names() {
    return names;
  }

  /**
   * The argv for a task whose arguments are {@code args}.
   *
   * @throws NonRetryableException if a placeholder's arg is missing or cannot be an argument;
   *     another attempt with the same args would fail the same way
   */
  List<String> render(Object args) {
    if (names.isEmpty()) {
      return argv;
    }
    if (!(args instanceof Map<?, ?> map)) {
      throw new NonRetryableException("args must be a JSON object with " + describe(names)
          + " for the command, was " + kindOf(args));
    }
    List<String> out = new ArrayList<>(argv.size());
    for (int i = 0; i < argv.size(); i++) {
      String name = fills.get(i);
      out.add(name == null ? argv.get(i) : text(name, map));
    }
    return out;
  }

  private static String text(String name, Map<?, ?> args) {
    if (!args.containsKey(name)) {
      throw new NonRetryableException("arg '" + name + "' is missing: the command needs {" + name
          + "}");
    }
    Object v = args.get(name);
    String s;
    if (v instanceof String str) {
      s = str;
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long
        || v instanceof Short || v instanceof Byte || v instanceof BigInteger) {
      s = v.toString();
    } else if (v instanceof BigDecimal d) {
      s = d.toPlainString();
    } else if (v instanceof Double || v instanceof Float) {
      // BigDecimal's form, not Double's: 1e20 must read 100000000000000000000, not 1.0E20.
      s = BigDecimal.valueOf(((Number) v).doubleValue()).toPlainString();
    } else {
      throw new NonRetryableException("arg '" + name + "' is " + kindOf(v)
          + "; only text, numbers and booleans fill placeholders");
    }
    if (s.indexOf('\0') >= 0) {
      throw new NonRetryableException("arg '" + name + "' holds a NUL character, which no"
          + " program argument can");
    }
    return s;
  }

  private static String describe(Set<String> names) {
    return names.size() == 1 ? "'" + names.iterator().next() + "'"
        : "'" + String.join("', '", names) + "'";
  }

  private static String kindOf(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map<?, ?>) {
      return "an object";
    }
    if (v instanceof List<?> || v.getClass().isArray()) {
      return "a list";
    }
    if (v instanceof String) {
      return "text";
    }
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    return "a " + v.getClass().getSimpleName();
  }

  private static String kind(JsonNode n) {
    return n.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
