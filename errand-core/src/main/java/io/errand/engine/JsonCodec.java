package io.errand.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.PayloadEncodingException;
import io.errand.spi.PayloadCodec;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * JSON through the Errand's {@code ObjectMapper}: arguments read back as their queue's type,
 * results as the queue's result type when it declares one. Queues whose payloads live only in
 * this process (executor queues: their arguments are callables) are copied by reference.
 */
final class JsonCodec implements PayloadCodec {
  private final ObjectMapper mapper;
  private final Function<String, Class<?>> argsType;
  private final Function<String, Class<?>> resultType;
  private final Predicate<String> inProcessOnly;

  /**
   * The codec of an engine's queues and supervisors: arguments read as the queue's (or
   * supervisor's) argument type, results as the queue's result type (plain JSON values when it
   * declares none), an executor queue's callables kept in process.
   */
  static JsonCodec forQueues(ObjectMapper mapper, Map<String, QueueRunner> queues,
      Map<String, SupervisorRunner> supervisors) {
    return new JsonCodec(mapper, name -> {
      QueueRunner r = queues.get(name);
      if (r != null) {
        return r.spec().argsType();
      }
      SupervisorRunner s = supervisors.get(name);
      return s == null ? Object.class : s.spec().argsType();
    }, name -> {
      QueueRunner r = queues.get(name);
      return r == null ? Object.class : r.spec().resultType().<Class<?>>map(t -> t)
          .orElse(Object.class);
    }, name -> {
      QueueRunner r = queues.get(name);
      return r != null && TaskExecutorService.isExecutorQueue(r.spec());
    });
  }

  /**
   * A codec over {@code mapper}; {@code argsType} and {@code resultType} give a queue's (or a
   * supervisor's) types, {@code Object.class} when it has none; {@code inProcessOnly} says
   * which queues' payloads are never written.
   */
  JsonCodec(ObjectMapper mapper, Function<String, Class<?>> argsType,
      Function<String, Class<?>> resultType, Predicate<String> inProcessOnly) {
    this.mapper = mapper;
    this.argsType = argsType;
    this.resultType = resultType;
    this.inProcessOnly = inProcessOnly;
  }

  @Override
  public String encode(Object value) {
    return encode(value, "a value");
  }

  @Override
  public String encode(Object value, String what) {
    if (value == null) {
      return null;
    }
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new PayloadEncodingException(what, value.getClass().getName(), path(e),
          e.getOriginalMessage());
    } catch (RuntimeException e) { // a custom serializer or a getter that threw
      throw new PayloadEncodingException(what, value.getClass().getName(), "", String.valueOf(e));
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

  @Override
  public Object decodeResult(String queue, String json) {
    return read(json, resultType.apply(queue));
  }

  @Override
  public Object copyArgs(String queue, Object args) {
    return inProcessOnly.test(queue) || isOwnCopy(args, argsType.apply(queue)) ? args
        : PayloadCodec.super.copyArgs(queue, args);
  }

  @Override
  public Object copyResult(String queue, long id, Object result) {
    return inProcessOnly.test(queue) || isOwnCopy(result, resultType.apply(queue)) ? result
        : PayloadCodec.super.copyResult(queue, id, result);
  }

  /**
   * Whether {@code value}, written as JSON and read back as {@code type}, would come back
   * equal and of its own class: an immutable string, boolean, int or long of that exact type,
   * or a string or boolean of an untyped queue (JSON reads them back the same). Then the copy
   * is the value itself, and the per-task write and read of JSON is skipped. Untyped numbers
   * are copied: JSON reads a small long back as an Integer, and a mapper may read ints as
   * longs.
   */
  static boolean isOwnCopy(Object value, Class<?> type) {
    if (value == null) {
      return true;
    }
    Class<?> c = value.getClass();
    if (c == String.class || c == Boolean.class) {
      return type == c || type == Object.class;
    }
    return (c == Integer.class || c == Long.class) && type == c;
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

  /** Where in the value Jackson failed: {@code attachments[0].stream}, or empty at the top. */
  static String path(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException m)) {
      return "";
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : m.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
