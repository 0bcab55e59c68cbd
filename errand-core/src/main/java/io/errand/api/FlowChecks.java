package io.errand.api;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/** The checks of a queue's flow settings (key, per-key limit, rate limits), for its builder. */
final class FlowChecks {
  private FlowChecks() {}

  static void check(String q, Class<?> argsType, ConcurrencyKey key, Integer perKey,
      Integer rateStarts, Duration ratePeriod, Integer keyRateStarts, Duration keyRatePeriod) {
    InvalidSpecException.require(perKey == null || perKey >= 1, q + "perKeyConcurrency", perKey,
        ">= 1 (leave it unset for no per-key limit)");
    InvalidSpecException.require(perKey == null || key != null, q + "perKeyConcurrency", perKey,
        "set only with a concurrencyKey (the value it counts per)");
    rate(q + "rateLimit", rateStarts, ratePeriod);
    rate(q + "perKeyRateLimit", keyRateStarts, keyRatePeriod);
    InvalidSpecException.require(keyRateStarts == null || key != null, q + "perKeyRateLimit",
        keyRateStarts + "/" + keyRatePeriod, "set only with a concurrencyKey");
    if (key instanceof ConcurrencyKey.ArgsField f && argsType != null) {
      TreeSet<String> known = fields(argsType);
      InvalidSpecException.require(known == null || known.contains(f.firstField()),
          q + "concurrencyKey", "'" + f.pointer() + "'", "a field of " + argsType.getSimpleName()
          + ": one of " + known);
    }
  }

  private static void rate(String setting, Integer starts, Duration period) {
    if (starts == null && period == null) {
      return;
    }
    InvalidSpecException.require(starts != null && starts >= 1, setting + " starts", starts,
        ">= 1 (leave the rate limit unset for none)");
    InvalidSpecException.require(period != null && period.toMillis() >= 1
        && InvalidSpecException.notTooLong(period), setting + " period", period,
        "at least 1ms and " + InvalidSpecException.AT_MOST_LONGEST);
  }

  /**
   * The JSON field names of {@code type} when they can be known from the class (a record's
   * components; a class's instance fields and getters), or null when any field may come
   * (Object, maps, JSON trees, interfaces and abstract classes).
   */
  private static TreeSet<String> fields(Class<?> type) {
    if (type == Object.class || Map.class.isAssignableFrom(type)
        || Collection.class.isAssignableFrom(type) || type.isInterface()
        || Modifier.isAbstract(type.getModifiers()) || type.getName().startsWith("com.fasterxml.")
        || type.getName().startsWith("java.")) {
      return null;
    }
    TreeSet<String> names = new TreeSet<>();
    if (type.isRecord()) {
      for (RecordComponent c : type.getRecordComponents()) {
        names.add(c.getName());
      }
      return names;
    }
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers())) {
          names.add(f.getName());
        }
      }
    }
    for (Method m : type.getMethods()) {
      String n = m.getName();
      if (m.getParameterCount() == 0 && m.getDeclaringClass() != Object.class) {
        if (n.startsWith("get") && n.length() > 3) {
          names.add(Character.toLowerCase(n.charAt(3)) + n.substring(4));
        } else if (n.startsWith("is") && n.length() > 2) {
          names.add(Character.toLowerCase(n.charAt(2)) + n.substring(3));
        }
      }
    }
    return names.isEmpty() ? null : names; // annotations may rename: unknown, not refused
  }
}
