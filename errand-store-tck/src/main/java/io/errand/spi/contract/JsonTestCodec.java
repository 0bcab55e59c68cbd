package io.errand.spi.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.errand.api.InvalidTaskException;
import io.errand.spi.PayloadCodec;
import java.util.Map;

/**
 * A Jackson {@link PayloadCodec} for the contract suite: arguments of the queues it is given
 * are read back as their type (records included); arguments of any other queue and all results
 * come back as plain JSON values (strings, ints, maps, lists...).
 */
public final class JsonTestCodec implements PayloadCodec {
  private final ObjectMapper mapper = JsonMapper.builder().findAndAddModules().build();
  private final Map<String, Class<?>> argsTypes;

  /** A codec reading the arguments of each queue of {@code argsTypes} as its type. */
  public JsonTestCodec(Map<String, Class<?>> argsTypes) {
    this.argsTypes = Map.copyOf(argsTypes);
  }

  @Override
  public String encode(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new InvalidTaskException("cannot write " + value.getClass().getName() + " as JSON: "
          + e.getOriginalMessage());
    }
  }

  @Override
  public Object decodeArgs(String queue, String json) {
    return read(json, argsTypes.getOrDefault(queue, Object.class));
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
      throw new IllegalStateException("cannot read " + json + " as " + type.getName(), e);
    }
  }
}
