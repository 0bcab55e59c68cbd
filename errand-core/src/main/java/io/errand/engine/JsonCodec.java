package io.errand.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.errand.api.InvalidTaskException;
import io.errand.spi.PayloadCodec;
import java.util.function.Function;

/** JSON for stores that keep text, reading arguments back as their queue's type. */
final class JsonCodec implements PayloadCodec {
  private final ObjectMapper mapper = JsonMapper.builder().findAndAddModules().build();
  private final Function<String, Class<?>> argsType;

  JsonCodec(Function<String, Class<?>> argsType) {
    this.argsType = argsType;
  }

  @Override
  public String encode(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new InvalidTaskException("a " + value.getClass().getName() + " cannot be stored as "
          + "JSON (" + e.getOriginalMessage() + "); use a record or plain values");
    }
  }

  @Override
  public Object decodeArgs(String queue, String json) {
    return read(json, argsType.apply(queue));
  }

  @Override
  public Object decodeResult(String json) {
    return read(json, Object.class);
  }

  private Object read(String json, Class<?> type) {
    if (json == null) {
      return null;
    }
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON cannot be read as " + type.getName() + ": "
          + e.getOriginalMessage(), e);
    }
  }
}
