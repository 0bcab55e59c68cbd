package io.errand.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (a malformed request line, a bad URI, headers too large) are answered
 * before Javalin sees the request; this handler gives them the API's JSON error shape instead
 * of Jetty's HTML page. It serves {@link ApiServer} only: mounted in an application's server
 * ({@link ApiServlet}), that server answers such requests its own way.
 */
final class JettyErrors extends ErrorHandler {
  private static final HttpField JSON_TYPE =
      new HttpField(HttpHeader.CONTENT_TYPE, "application/json");
  private static final HttpField NO_SNIFF =
      new HttpField("X-Content-Type-Options", JsonBodies.NO_SNIFF);

  @Override
  protected void generateResponse(Request request, Response response, int code, String message,
      Throwable cause, Callback callback) {
    byte[] body = ErrorMapper.body(ErrorMapper.codeOf(code), describe(code, message));
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(JSON_TYPE);
    headers.put(NO_SNIFF);
    headers.put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
    // Jetty ends the connection after such an error (a path the Servlet 6 rules refuse, as
    // %2F or %00): said in the answer, a client sends its next request on a new one.
    headers.put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(JSON_TYPE);
    fields.put(NO_SNIFF);
    return ByteBuffer.wrap(ErrorMapper.body(ErrorMapper.codeOf(status), describe(status, reason)));
  }

  private static String describe(int status, Object detail) {
    String text = HttpStatus.getMessage(status);
    String d = detail == null ? "" : detail.toString();
    return d.isEmpty() || d.equals(text) ? "the request was refused: " + text
        : "the request was refused: " + text + " (" + JsonBodies.abbreviate(d, 200) + ")";
  }
}
