package io.errand.spi;

import io.errand.api.InvalidTaskException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * For stores that keep JSON: payloads encoded through the engine's {@link PayloadCodec},
 * within a size limit. A refusal names the payload, its size, the limit and the store option
 * that sets it.
 */
public final class PayloadLimit {
  private final PayloadCodec codec;
  private final int maxBytes;
  private final String option;

  /**
   * A limit of {@code maxBytes} UTF-8 bytes of JSON; {@code option} names the setting in
   * refusals (e.g. {@code "SqliteStore maxPayloadBytes"}).
   *
   * @throws IllegalArgumentException if {@code maxBytes} is below 1
   */
  public PayloadLimit(PayloadCodec codec, int maxBytes, String option) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1, was " + maxBytes);
    }
    this.codec = Objects.requireNonNull(codec, "codec");
    this.maxBytes = maxBytes;
    this.option = Objects.requireNonNull(option, "option");
  }

  /** The codec payloads go through. */
  public PayloadCodec codec() {
    return codec;
  }

  /**
   * {@code value} as JSON (null stays null).
   *
   * @throws InvalidTaskException naming {@code what}, its size and the limit, if it is larger,
   *     or if it cannot be written as JSON
   */
  public String encode(Object value, String what) {
    String json = codec.encode(value, what);
    String tooLarge = tooLarge(json, what);
    if (tooLarge != null) {
      throw new InvalidTaskException(tooLarge);
    }
    return json;
  }

  /**
   * Why {@code json} is too large to keep, naming {@code what}, or null if it is not: for a
   * payload that cannot be refused to anyone (a result: the work is done).
   */
  public String tooLarge(String json, String what) {
    if (json == null || (long) json.length() * 3 <= maxBytes) { // UTF-8: <= 3 bytes a char
      return null;
    }
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes <= maxBytes) {
      return null;
    }
    return what + " is " + bytes + " bytes as JSON, more than the store's limit of " + maxBytes
        + " bytes (" + option + "); keep large data elsewhere and pass a reference to it";
  }
}
