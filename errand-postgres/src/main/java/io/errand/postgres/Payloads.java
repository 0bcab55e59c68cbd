package io.errand.postgres;

import io.errand.api.InvalidTaskException;
import io.errand.spi.PayloadCodec;
import java.nio.charset.StandardCharsets;

/** Payloads as JSON through the engine's codec, within the store's size limit. */
final class Payloads {
  final PayloadCodec codec;
  private final int maxBytes;

  Payloads(PayloadCodec codec, int maxBytes) {
    this.codec = codec;
    this.maxBytes = maxBytes;
  }

  /**
   * {@code value} as JSON.
   *
   * @throws InvalidTaskException naming {@code what}, its size and the limit, if it is larger
   */
  String encode(Object value, String what) {
    String json = codec.encode(value);
    String tooLarge = tooLarge(json, what);
    if (tooLarge != null) {
      throw new InvalidTaskException(tooLarge);
    }
    return json;
  }

  /** Why {@code json} is too large to keep, or null if it is not. */
  String tooLarge(String json, String what) {
    if (json == null || (long) json.length() * 3 <= maxBytes) { // UTF-8: <= 3 bytes a char
      return null;
    }
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes <= maxBytes) {
      return null;
    }
    return what + " is " + bytes + " bytes as JSON, more than the store's limit of " + maxBytes
        + " bytes (PostgresStore maxPayloadBytes); keep large data elsewhere and pass a "
        + "reference to it";
  }
}
