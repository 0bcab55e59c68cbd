package io.errand.spi;

/**
 * Turns arguments and results into JSON text and back, for stores that keep bytes. The memory
 * store keeps the objects themselves and never calls it.
 */
public interface PayloadCodec {
  /**
   * JSON text of {@code value} (null stays null).
   *
   * @throws io.errand.api.InvalidTaskException if it cannot be written as JSON
   */
  String encode(Object value);

  /** The arguments of a task of {@code queue}, read back as that queue's argument type. */
  Object decodeArgs(String queue, String json);

  /** A result read back as plain JSON values (maps, lists, strings, numbers, booleans). */
  Object decodeResult(String json);
}
