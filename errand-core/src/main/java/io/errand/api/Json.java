package io.errand.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Conversions between handler values and their JSON form, shared by the api types. */
final class Json {
  static final ObjectMapper MAPPER = defaultMapper();

  private Json() {}

  /**
   * The mapper an Errand uses unless given one: records, {@code java.time} values (as ISO-8601
   * text, an offset or zone kept as written) and {@code Optional}. Its modules are named rather
   * than found on the class path, so two processes with different class paths write and read
   * payloads the same way.
   */
  static ObjectMapper defaultMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .addModule(new Jdk8Module())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .build();
  }

  static <T> T convert(Object value, Class<T> type) {
    return convert(MAPPER, value, type);
  }

  static <T> T convert(ObjectMapper mapper, Object value, Class<T> type) {
    if (value == null || type.isInstance(value)) {
      return type.cast(value);
    }
    try {
      return mapper.convertValue(value, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot read " + value.getClass().getSimpleName() + " as " + type.getName() + ": "
              + e.getMessage(), e);
    }
  }
}
