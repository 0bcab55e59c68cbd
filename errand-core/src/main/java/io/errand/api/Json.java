package io.errand.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Conversions between handler values and their JSON form, shared by the api types. */
final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder().findAndAddModules().build();

  private Json() {}

  static <T> T convert(Object value, Class<T> type) {
    if (value == null || type.isInstance(value)) {
      return type.cast(value);
    }
    try {
      return MAPPER.convertValue(value, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot read " + value.getClass().getSimpleName() + " as " + type.getName() + ": "
              + e.getMessage(), e);
    }
  }
}
