package io.errand.postgres;

/**
 * The {@code errors} column: the JSON array of {@link io.errand.spi.StoredErrors}, kept as text.
 * An error is appended in SQL ({@link #APPEND}), so a change never reads the array back to add
 * to it. Text rather than {@code jsonb}: jsonb refuses some JSON that Jackson writes (a
 * {@code \u0000} in a message).
 */
final class Errors {
  /**
   * {@code errors} with one more element, given three times as parameters (a JSON object as
   * text, or null to leave it as it is).
   */
  static final String APPEND = "errors = CASE WHEN ?::text IS NULL THEN errors WHEN errors IS "
      + "NULL THEN '[' || ?::text || ']' ELSE left(errors, -1) || ',' || ?::text || ']' END";

  private Errors() {}
}
