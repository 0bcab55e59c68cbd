package io.errand.server.handler;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a limit. Past the limit the rest is not read (the
 * exchange is cancelled) and the body is marked truncated, so a huge or endless response costs
 * at most the limit.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody.Bytes> {

  /** The bytes read, and whether there were more. */
  record Bytes(byte[] data, boolean truncated) {}

  private final int limit;
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private final CompletableFuture<Bytes> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  private BoundedBody(int limit) {
    this.limit = limit;
  }

  /**
   * A handler reading at most {@code successLimit} bytes of a 2xx body and {@code otherLimit}
   * bytes of any other (which only feeds an error message).
   */
  static HttpResponse.BodyHandler<Bytes> handler(int successLimit, int otherLimit) {
    return info -> new BoundedBody(info.statusCode() / 100 == 2 ? successLimit : otherLimit);
  }

  @Override
  public CompletionStage<Bytes> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE); // the limit, not back-pressure, bounds what is kept
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      int room = limit - buf.size();
      int n = b.remaining();
      if (n > room) {
        byte[] part = new byte[room];
        b.get(part);
        buf.write(part, 0, room);
        result.complete(new Bytes(buf.toByteArray(), true));
        subscription.cancel();
        return;
      }
      byte[] all = new byte[n];
      b.get(all);
      buf.write(all, 0, n);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(new Bytes(buf.toByteArray(), false));
  }
}
