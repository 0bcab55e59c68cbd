package io.errand.api;

import java.util.Objects;

/**
 * Where a queue reads each task's concurrency key: the value its per-key limits
 * ({@link QueueSpec.Builder#perKeyConcurrency}, {@link QueueSpec.Builder#perKeyRateLimit})
 * count against and its round-robin claims turn over (one tenant's backlog does not starve
 * another's few tasks). A closed set: the submit's key, or a field of the arguments.
 */
public sealed interface ConcurrencyKey permits ConcurrencyKey.SubmitKey, ConcurrencyKey.ArgsField {

  /** The key given at submit ({@code SubmitOptions.key}); tasks without one share one key. */
  static ConcurrencyKey submitKey() {
    return new SubmitKey();
  }

  /**
   * A field of the task's arguments as JSON, by name ({@code "tenant"}) or JSON pointer
   * ({@code "/account/id"}). Its text is the key (a number or boolean as written in JSON);
   * tasks whose arguments lack it, or hold null or an object there, share one key, the empty
   * text.
   *
   * @throws InvalidSpecException if {@code field} is null, empty or not a JSON pointer
   */
  static ConcurrencyKey argsField(String field) {
    return new ArgsField(field);
  }

  /** The submit's key. */
  record SubmitKey() implements ConcurrencyKey {
    @Override
    public String toString() {
      return "submit key";
    }
  }

  /**
   * A field of the arguments.
   *
   * @param pointer the field as a JSON pointer ("/tenant"); a bare name is turned into one
   */
  record ArgsField(String pointer) implements ConcurrencyKey {
    /**
     * Checks and normalizes the pointer.
     *
     * @throws InvalidSpecException naming the setting, the value and what is allowed
     */
    public ArgsField {
      if (pointer == null || pointer.isEmpty() || pointer.equals("/")) {
        throw new InvalidSpecException("concurrencyKey must be an argument field name or a JSON"
            + " pointer such as /tenant, was " + (pointer == null ? "null" : "'" + pointer
            + "'"));
      }
      if (!pointer.startsWith("/")) {
        pointer = "/" + pointer;
      }
      if (pointer.contains("//") || pointer.endsWith("/")) {
        throw new InvalidSpecException("concurrencyKey must be a JSON pointer without empty "
            + "segments such as /account/id, was '" + pointer + "'");
      }
    }

    /** The first field of the pointer ("account" for "/account/id"), unescaped. */
    public String firstField() {
      int end = pointer.indexOf('/', 1);
      String first = end < 0 ? pointer.substring(1) : pointer.substring(1, end);
      return first.replace("~1", "/").replace("~0", "~");
    }

    @Override
    public String toString() {
      return "args " + pointer;
    }
  }

  /** Required non-null, for builders. */
  static ConcurrencyKey require(ConcurrencyKey key) {
    return Objects.requireNonNull(key, "concurrencyKey");
  }
}
