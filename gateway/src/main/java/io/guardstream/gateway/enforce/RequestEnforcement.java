package io.guardstream.gateway.enforce;

import io.guardstream.avro.GuardVerdict;
import io.guardstream.gateway.enforce.Decision.Stage;
import io.guardstream.gateway.errors.ApiError;
import io.guardstream.gateway.policy.Policy;
import io.guardstream.gateway.policy.PolicyStore;
import io.guardstream.gateway.proxy.ExchangeContext;
import io.guardstream.gateway.proxy.RequestStage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Judges the request before the upstream sees it ({@code sync}), while it is being forwarded
 * ({@code parallel}: the answer is held until the verdict and the upstream call is cancelled when the
 * request is blocked), or not in flight at all ({@code audit}).
 */
public final class RequestEnforcement implements RequestStage {

  private final PolicyStore policies;
  private final Guards guards;
  private final GuardChecks checks;
  private final EnforcementMetrics metrics;

  RequestEnforcement(PolicyStore policies, Guards guards, GuardChecks checks, EnforcementMetrics metrics) {
    this.policies = policies;
    this.guards = guards;
    this.checks = checks;
    this.metrics = metrics;
  }

  @Override
  public Future<Void> onRequest(ExchangeContext ctx) {
    Policy policy = policies.forName(ctx.principal().policy());
    EnforcementState state = EnforcementState.of(ctx, policy);
    return switch (policy.request) {
      case AUDIT -> Future.succeededFuture();
      case SYNC -> judge(ctx, state);
      case PARALLEL -> {
        ctx.gateResponse(judge(ctx, state));
        yield Future.succeededFuture();
      }
    };
  }

  private Future<Void> judge(ExchangeContext ctx, EnforcementState state) {
    Policy policy = state.policy();
    return checks.request(ctx, state)
        .compose(check -> guards.judge(policy, check))
        .transform(result -> {
          if (result.failed()) {
            return onGuardFailure(ctx, state, result.cause());
          }
          GuardVerdict verdict = result.result();
          Decision decision = state.decide(verdict, Stage.REQUEST, false, metrics);
          if (!decision.unsafe()) {
            return Future.succeededFuture();
          }
          JsonObject annotation = ContentFilterResponses.annotation(decision, verdict);
          ctx.request().response().putHeader(ContentFilterResponses.VERDICT_HEADER, ContentFilterResponses.verdictHeader(annotation));
          if (!decision.blocks()) {
            return Future.succeededFuture();
          }
          return Future.failedFuture(ApiError.badRequest(ContentFilterResponses.CONTENT_FILTER, "messages",
              "The request was blocked by the content policy" + categoriesText(decision)).withGuardstream(annotation));
        });
  }

  private Future<Void> onGuardFailure(ExchangeContext ctx, EnforcementState state, Throwable cause) {
    JsonObject annotation = state.guardFailed(Stage.REQUEST, cause, metrics);
    ctx.request().response().putHeader(ContentFilterResponses.VERDICT_HEADER, ContentFilterResponses.verdictHeader(annotation));
    if (state.failsOpen()) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(ApiError.unavailable("guard_unavailable", "The content guard is unavailable ("
        + annotation.getString("reason") + "); the request was not forwarded").withGuardstream(annotation));
  }

  private static String categoriesText(Decision decision) {
    return decision.categories().isEmpty() ? "." : " (" + String.join(", ", decision.categories()) + ").";
  }
}
