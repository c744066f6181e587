package io.guardstream.gateway.enforce;

import io.guardstream.avro.ChatMessage;
import io.guardstream.avro.CheckKind;
import io.guardstream.avro.GuardCheck;
import io.guardstream.gateway.exchange.ExchangeAssembler;
import io.guardstream.gateway.proxy.ExchangeContext;
import io.guardstream.gateway.publish.ExchangeAvroMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Builds the {@link GuardCheck}s of one exchange. The request's messages are converted once and kept
 * on the exchange; requests with images are converted on a worker, since decoding and hashing images
 * is too heavy for the event loop.
 */
final class GuardChecks {

  private static final String MESSAGES_KEY = "guardstream.enforcement.messages";

  private final Vertx vertx;
  private final ExchangeAssembler assembler;

  GuardChecks(Vertx vertx, ExchangeAssembler assembler) {
    this.vertx = vertx;
    this.assembler = assembler;
  }

  Future<GuardCheck> request(ExchangeContext ctx, EnforcementState state) {
    return messages(ctx).map(messages -> base(ctx, state, CheckKind.REQUEST, messages).build());
  }

  Future<GuardCheck> responseWindow(ExchangeContext ctx, EnforcementState state, int index, int start, String text) {
    return messages(ctx).map(messages -> base(ctx, state, CheckKind.RESPONSE_WINDOW, messages)
        .setResponseText(text).setWindowIndex(index).setWindowStart(start).build());
  }

  Future<GuardCheck> responseFinal(ExchangeContext ctx, EnforcementState state, String text) {
    return messages(ctx).map(messages -> base(ctx, state, CheckKind.RESPONSE_FINAL, messages)
        .setResponseText(text).build());
  }

  @SuppressWarnings("unchecked")
  private Future<List<ChatMessage>> messages(ExchangeContext ctx) {
    Object cached = ctx.attributes().get(MESSAGES_KEY);
    if (cached != null) {
      return (Future<List<ChatMessage>>) cached;
    }
    Future<List<ChatMessage>> messages;
    if (ctx.chatRequest().imageParts() == 0) {
      messages = Future.succeededFuture(ExchangeAvroMapper.messages(assembler.messages(ctx.chatRequest().json())));
    } else {
      messages = vertx.executeBlocking(() -> ExchangeAvroMapper.messages(assembler.messages(ctx.chatRequest().json())), false);
    }
    ctx.attributes().put(MESSAGES_KEY, messages);
    return messages;
  }

  private static GuardCheck.Builder base(ExchangeContext ctx, EnforcementState state, CheckKind kind, List<ChatMessage> messages) {
    Instant now = Instant.now();
    return GuardCheck.newBuilder()
        .setCheckId(UUID.randomUUID().toString())
        .setExchangeId(ctx.exchangeId())
        .setTenantId(ctx.principal().tenantId())
        .setEndUserId(ctx.chatRequest().user())
        .setPolicy(state.policy().name)
        .setKind(kind)
        .setRequestMessages(messages)
        .setCreatedAt(now)
        .setDeadlineAt(now.plusMillis(state.policy().guardTimeoutMs))
        .setReasoning(state.policy().reasoning);
  }
}
