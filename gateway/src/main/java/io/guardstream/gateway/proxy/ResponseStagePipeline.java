package io.guardstream.gateway.proxy;

import io.guardstream.gateway.sse.SseEvent;
import io.guardstream.gateway.sse.SseEventSplitter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The response stages in registration order: each sees what the one before it returned, and an empty buffer from one
 * stage holds the event back from the rest.
 */
final class ResponseStagePipeline {

  private final List<ResponseStage> stages;

  ResponseStagePipeline(List<ResponseStage> stages) {
    this.stages = List.copyOf(stages);
  }

  boolean isEmpty() {
    return stages.isEmpty();
  }

  /** What goes to the client in place of these SSE events, in order. */
  Future<Buffer> events(ExchangeContext ctx, List<SseEvent> events) {
    Future<Buffer> out = Future.succeededFuture(Buffer.buffer());
    for (SseEvent event : events) {
      out = out.compose(acc -> event(ctx, event).map(acc::appendBuffer));
    }
    return out;
  }

  /** What the stages send before the stream closes. */
  Future<Buffer> streamEnd(ExchangeContext ctx) {
    Future<Buffer> out = Future.succeededFuture(Buffer.buffer());
    for (ResponseStage stage : stages) {
      out = out.compose(acc -> stage.onStreamEnd(ctx).map(acc::appendBuffer));
    }
    return out;
  }

  /** What goes to the client in place of a whole non-streamed body. */
  Future<Buffer> body(ExchangeContext ctx, Buffer body) {
    Future<Buffer> current = Future.succeededFuture(body);
    for (ResponseStage stage : stages) {
      current = current.compose(b -> stage.onBody(ctx, b));
    }
    return current;
  }

  private Future<Buffer> event(ExchangeContext ctx, SseEvent event) {
    Future<Buffer> current = Future.succeededFuture(event.raw());
    for (ResponseStage stage : stages) {
      current = current.compose(raw -> raw.length() == 0 ? Future.succeededFuture(raw)
          : stage.onEvent(ctx, raw == event.raw() ? event : reparse(raw)));
    }
    return current;
  }

  /** A stage that rewrote the event hands the next stage bytes; the next one gets them parsed again. */
  private static SseEvent reparse(Buffer raw) {
    SseEventSplitter splitter = new SseEventSplitter(ProxyHandler.MAX_SSE_LINE_BYTES);
    List<SseEvent> events = splitter.feed(raw);
    if (events.isEmpty()) {
      events = splitter.finish();
    }
    return events.isEmpty() ? new SseEvent(raw, null) : events.get(0);
  }
}
