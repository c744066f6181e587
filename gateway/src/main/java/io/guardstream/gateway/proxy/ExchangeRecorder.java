package io.guardstream.gateway.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.guardstream.avro.EnforcementRecord;
import io.guardstream.gateway.exchange.ExchangeAssembler;
import io.guardstream.gateway.exchange.ExchangeRecord;
import io.guardstream.gateway.publish.ExchangePublisher;
import io.guardstream.gateway.sse.SseChunkParser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a finished exchange into an {@link ExchangeRecord} and hands it to the publisher, when one wants it. */
final class ExchangeRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(ExchangeRecorder.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Vertx vertx;
  private final ExchangePublisher publisher;
  private final ExchangeAssembler assembler;

  ExchangeRecorder(Vertx vertx, ExchangePublisher publisher, ExchangeAssembler assembler) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.assembler = assembler;
  }

  /** False with publisher {@code none}: nothing about the answer needs to be parsed or kept. */
  boolean wantsExchanges() {
    return publisher.wantsExchanges();
  }

  /** Reads a non-streamed JSON answer into the exchange's summary (text, finish reason, usage). */
  static void summarize(ExchangeContext ctx, Buffer body) {
    if (body.length() == 0) {
      return;
    }
    try {
      JsonNode json = MAPPER.readTree(body.getBytes());
      if (json != null && json.isObject()) {
        SseChunkParser.applyChunk(ctx.summary(), json, false);
      }
    } catch (Exception ignored) {
      // the client got the bytes as sent; the exchange just has no parsed answer
    }
  }

  void record(ExchangeContext ctx) {
    if (!publisher.wantsExchanges()) {
      return;
    }
    long completedAtMs = System.currentTimeMillis();
    if (ctx.chatRequest == null || ctx.chatRequest.imageParts() == 0) {
      try {
        publisher.publish(toRecord(ctx, completedAtMs));
      } catch (RuntimeException e) {
        LOG.error("exchange {} could not be assembled", ctx.exchangeId(), e);
      }
      return;
    }
    // decoding and hashing inline images is too heavy for the event loop
    vertx.executeBlocking(() -> toRecord(ctx, completedAtMs), true)
        .onSuccess(publisher::publish)
        .onFailure(err -> LOG.error("exchange {} could not be assembled", ctx.exchangeId(), err));
  }

  private ExchangeRecord toRecord(ExchangeContext ctx, long completedAtMs) {
    long received = ctx.receivedAtMs();
    long nanos0 = ctx.receivedNanos();
    Long firstByte = ctx.upstreamFirstByteNanos == 0 ? null : received + (ctx.upstreamFirstByteNanos - nanos0) / 1_000_000;
    Long firstToken = ctx.firstTokenNanos == 0 ? null : received + (ctx.firstTokenNanos - nanos0) / 1_000_000;
    var chat = ctx.chatRequest;
    var summary = ctx.summary();
    String errorMessage = ctx.errorMessage != null ? ctx.errorMessage : summary.errorMessage();
    String errorCode = ctx.errorCode != null ? ctx.errorCode
        : (summary.errorMessage() != null ? "upstream_error" : (ctx.status >= 400 ? "upstream_status" : null));
    return new ExchangeRecord(ctx.exchangeId(), ctx.principal.tenantId(), ctx.principal.keyId(), ctx.principal.policy(),
        chat == null ? null : chat.user(),
        chat == null ? null : chat.model(),
        ctx.upstreamName, ctx.upstreamUrl, ProxyHandler.CHAT_PATH, ctx.stream,
        received, firstByte, firstToken, completedAtMs,
        chat == null ? List.of() : assembler.messages(chat.json()),
        summary.text(), summary.truncated(), summary.finishReason(), summary.usage(),
        ctx.clientGone && ctx.status == 0 ? 499 : ctx.status,
        errorCode == null ? null : (ctx.errorType != null ? ctx.errorType : "upstream_error"), errorCode, errorMessage,
        ctx.requestBytes, ctx.responseBytes,
        enforcementOf(ctx));
  }

  @SuppressWarnings("unchecked")
  private static EnforcementRecord enforcementOf(ExchangeContext ctx) {
    Object source = ctx.attribute(ExchangeContext.ENFORCEMENT_RECORD);
    return source == null ? null : ((Supplier<EnforcementRecord>) source).get();
  }
}
