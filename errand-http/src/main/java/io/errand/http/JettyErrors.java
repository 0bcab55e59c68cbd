package io.errand.http;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own errors (a malformed request line, a bad URI, headers too large) are answered
 * before Javalin sees the request; this handler gives them the API's JSON error shape instead
 * of Jetty's HTML page.
 */
final class JettyErrors extends ErrorHandler {
  private static final HttpField JSON_TYPE =
      new HttpField(HttpHeader.CONTENT_TYPE, "application/json");
  private static final HttpField NO_SNIFF =
      new HttpField("X-Content-Type-Options", JsonBodies.NO_SNIFF);

  @Override
  public void handle(String target, Request baseRequest, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    baseRequest.setHandled(true);
    int status = response.getStatus();
    Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    byte[] body = ErrorMapper.body(ErrorMapper.codeOf(status), describe(status, message));
    response.setContentType("application/json");
    response.setHeader(NO_SNIFF.getName(), NO_SNIFF.getValue());
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
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
