package io.guardstream.gateway.enforce;

import io.guardstream.avro.GuardVerdict;
import io.guardstream.gateway.enforce.Decision.Stage;
import io.guardstream.gateway.policy.Modes.Action;
import io.guardstream.gateway.policy.Modes.ResponseMode;
import io.guardstream.gateway.policy.Policy;
import io.guardstream.gateway.proxy.ExchangeContext;
import io.guardstream.gateway.proxy.ResponseStage;
import io.guardstream.gateway.sse.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Judges the upstream's answer: whole for non-streamed answers ({@code sync}), window by window for
 * streams ({@code hold_back}, {@code stream_first}; see {@link StreamGuard}), or not in flight
 * ({@code audit}). Error answers from the upstream pass as they are.
 */
public final class ResponseEnforcement implements ResponseStage {

  private static final String STREAM_KEY = "guardstream.enforcement.stream";

  private final Guards guards;
  private final GuardChecks checks;
  private final EnforcementMetrics metrics;

  ResponseEnforcement(Guards guards, GuardChecks checks, EnforcementMetrics metrics) {
    this.guards = guards;
    this.checks = checks;
    this.metrics = metrics;
  }

  @Override
  public Future<Buffer> onEvent(ExchangeContext ctx, SseEvent event) {
    StreamGuard guard = streamGuard(ctx);
    return guard == null ? Future.succeededFuture(event.raw()) : guard.onEvent(event);
  }

  @Override
  public Future<Buffer> onStreamEnd(ExchangeContext ctx) {
    StreamGuard guard = streamGuard(ctx);
    return guard == null ? Future.succeededFuture(Buffer.buffer()) : guard.onEnd();
  }

  @Override
  public Future<Buffer> onBody(ExchangeContext ctx, Buffer body) {
    EnforcementState state = EnforcementState.find(ctx);
    if (state == null || state.responseMode() != ResponseMode.SYNC || ctx.request().response().getStatusCode() != 200) {
      return Future.succeededFuture(body);
    }
    JsonObject completion;
    try {
      completion = body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return Future.succeededFuture(body);
    }
    String text = firstContent(completion);
    if (text == null || text.isEmpty()) {
      return Future.succeededFuture(body);
    }
    Policy policy = state.policy();
    return checks.responseFinal(ctx, state, text)
        .compose(check -> guards.judge(policy, check))
        .transform(result -> Future.succeededFuture(result.succeeded()
            ? apply(ctx, state, completion, body, result.result())
            : onGuardFailure(ctx, state, completion, body, result.cause())));
  }

  private Buffer apply(ExchangeContext ctx, EnforcementState state, JsonObject completion, Buffer body, GuardVerdict verdict) {
    Policy policy = state.policy();
    Decision decision = state.decide(verdict, Stage.RESPONSE, true, metrics);
    if (!decision.unsafe()) {
      return body;
    }
    JsonObject annotation = ContentFilterResponses.annotation(decision, verdict);
    ctx.request().response().putHeader(ContentFilterResponses.VERDICT_HEADER, ContentFilterResponses.verdictHeader(annotation));
    if (decision.action() == Action.FLAG) {
      return ContentFilterResponses.annotatedCompletion(completion, annotation).toBuffer();
    }
    String replacement = decision.action() == Action.BLOCK ? policy.refusalText : policy.redactionText;
    return ContentFilterResponses.filteredCompletion(completion, replacement, annotation).toBuffer();
  }

  private Buffer onGuardFailure(ExchangeContext ctx, EnforcementState state, JsonObject completion, Buffer body, Throwable cause) {
    JsonObject annotation = state.guardFailed(Stage.RESPONSE, cause, metrics);
    ctx.request().response().putHeader(ContentFilterResponses.VERDICT_HEADER, ContentFilterResponses.verdictHeader(annotation));
    if (state.failsOpen()) {
      return body;
    }
    return ContentFilterResponses.filteredCompletion(completion, state.policy().refusalText, annotation).toBuffer();
  }

  private StreamGuard streamGuard(ExchangeContext ctx) {
    Object existing = ctx.attributes().get(STREAM_KEY);
    if (existing != null) {
      return (StreamGuard) existing;
    }
    EnforcementState state = EnforcementState.find(ctx);
    if (state == null || state.responseMode() == ResponseMode.AUDIT || state.responseMode() == ResponseMode.SYNC
        || ctx.request().response().getStatusCode() != 200) {
      return null;
    }
    StreamGuard guard = new StreamGuard(ctx, state, (window, text) ->
        checks.responseWindow(ctx, state, window.index(), window.start(), text)
            .compose(check -> guards.judge(state.policy(), check)), metrics);
    ctx.attributes().put(STREAM_KEY, guard);
    return guard;
  }

  private static String firstContent(JsonObject completion) {
    JsonArray choices = completion.getJsonArray("choices");
    if (choices == null || choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject choice)) {
      return null;
    }
    JsonObject message = choice.getJsonObject("message");
    Object content = message == null ? null : message.getValue("content");
    return content instanceof String text ? text : null;
  }
}
