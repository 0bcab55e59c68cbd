package io.errand.server.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Plain JSON values (Map, List, String, Number, Boolean, null) to and from JSON text. */
final class JsonValues {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      // "{} trailing junk" is not a JSON value; without this Jackson would read the first part.
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private JsonValues() {}

  /** The value {@code text} holds. @throws JsonProcessingException if it is not one JSON value */
  static Object parse(String text) throws JsonProcessingException {
    return MAPPER.readValue(text, Object.class);
  }

  /** {@code value} as JSON in UTF-8. @throws JsonProcessingException if it has no JSON form */
  static byte[] write(Object value) throws JsonProcessingException {
    return MAPPER.writeValueAsBytes(value);
  }
}
