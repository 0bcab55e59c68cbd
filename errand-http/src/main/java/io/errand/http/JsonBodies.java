package io.errand.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Request bodies in, JSON out. Bodies are read by hand rather than through Javalin so that the
 * size limit, the media type and every parse error get this API's error shape and a message
 * that says what to send instead.
 */
final class JsonBodies {
  static final String JSON = "application/json";
  /**
   * The value of {@code X-Content-Type-Options} on every JSON answer: a browser must not read
   * one as HTML or script (an error message echoes what the request sent).
   */
  static final String NO_SNIFF = "nosniff";

  private final ObjectMapper mapper = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private final long maxBodyBytes;

  JsonBodies(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  ObjectMapper mapper() {
    return mapper;
  }

  /**
   * The request's body as a JSON object; an absent or empty body is an empty object when
   * {@code required} is false.
   *
   * @throws ApiException 413 over the size limit, 415 for another media type, 400 for anything
   *                      that is not one JSON object
   */
  ObjectNode object(Context ctx, boolean required, String example) {
    checkMediaType(ctx.header("Content-Type"));
    byte[] bytes = read(ctx);
    if (isBlank(bytes)) {
      if (required) {
        throw ApiException.badRequest("missing_body", "this request needs a JSON object body,"
            + " e.g. " + example);
      }
      return mapper.createObjectNode();
    }
    JsonNode node;
    try {
      node = mapper.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed_json", "the body is not valid JSON: "
          + describe(e) + "; send one JSON object, e.g. " + example);
    } catch (IOException e) { // from bytes in hand, only a decoding error (say, bad UTF-32)
      throw ApiException.badRequest("malformed_json", "the body is not valid JSON text: "
          + abbreviate(e.getMessage(), 200) + "; send UTF-8 JSON, e.g. " + example);
    }
    if (!(node instanceof ObjectNode object)) {
      throw ApiException.badRequest("invalid_body", "the body must be a JSON object, got "
          + Body.kind(node) + "; e.g. " + example);
    }
    return object;
  }

  /** Writes {@code body} as the JSON answer with {@code status}, marked not to be sniffed. */
  void write(Context ctx, int status, Object body) {
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the answer as JSON", e);
    }
    ctx.status(status).contentType(JSON).header("X-Content-Type-Options", NO_SNIFF)
        .result(bytes);
  }

  private static void checkMediaType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return; // a body without a type is read as JSON: it fails as JSON if it is not
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!type.equals(JSON) && !type.endsWith("+json")) {
      // curl -d sends a form type unless told otherwise: the usual way to get here
      String hint = type.equals("application/x-www-form-urlencoded")
          ? "; with curl -d, add -H 'Content-Type: application/json'" : "";
      throw new ApiException(415, "unsupported_media_type", "the body must be JSON, sent with"
          + " Content-Type: application/json (this request said '" + abbreviate(type, 80) + "')"
          + hint);
    }
  }

  private byte[] read(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBodyBytes) {
      throw tooLarge();
    }
    try (InputStream in = ctx.req().getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(
          (int) Math.min(Math.max(declared, 256), maxBodyBytes));
      byte[] chunk = new byte[8192];
      long total = 0;
      int n;
      while ((n = in.read(chunk)) != -1) {
        total += n;
        if (total > maxBodyBytes) { // a chunked body declares no length: count what arrives
          throw tooLarge();
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw ApiException.badRequest("unreadable_body", "the body could not be read: "
          + e.getMessage());
    }
  }

  private ApiException tooLarge() {
    return new ApiException(413, "body_too_large", "the body is larger than the limit of "
        + maxBodyBytes + " bytes; send less (a batch can be split into several)");
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  /** Jackson's reason and where, without the echo of the source it appends. */
  private static String describe(JsonProcessingException e) {
    String where = e.getLocation() == null ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    return abbreviate(e.getOriginalMessage(), 200) + where;
  }

  static String abbreviate(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
