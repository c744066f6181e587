package io.guardstream.gateway.proxy;

import io.guardstream.gateway.sse.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Sees the upstream's answer before the client does, in registration order. With no stage
 * registered the gateway relays upstream bytes untouched; with one, streamed answers are cut into
 * SSE events and each passes through {@link #onEvent} while the upstream is paused (backpressure
 * is kept: the next event is read only once the previous one's future completed).
 */
public interface ResponseStage {

  /** One SSE event of a streamed answer; the returned bytes go to the client in its place (empty: hold back). */
  default Future<Buffer> onEvent(ExchangeContext exchange, SseEvent event) {
    return Future.succeededFuture(event.raw());
  }

  /** The upstream stream ended; the returned bytes are sent before the client stream closes. */
  default Future<Buffer> onStreamEnd(ExchangeContext exchange) {
    return Future.succeededFuture(Buffer.buffer());
  }

  /** A whole non-streamed answer body (capped); the returned bytes are sent instead. */
  default Future<Buffer> onBody(ExchangeContext exchange, Buffer body) {
    return Future.succeededFuture(body);
  }
}
