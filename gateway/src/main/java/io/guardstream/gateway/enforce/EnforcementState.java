package io.guardstream.gateway.enforce;

import io.guardstream.avro.EnforcementAction;
import io.guardstream.avro.EnforcementRecord;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.gateway.guard.GuardUnavailableException;
import io.guardstream.gateway.policy.Modes.Action;
import io.guardstream.gateway.policy.Modes.FailureMode;
import io.guardstream.gateway.policy.Modes.ResponseMode;
import io.guardstream.gateway.policy.Policy;
import io.guardstream.gateway.proxy.ExchangeContext;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What moderation did on one exchange, accumulated by the request and response stages on the
 * exchange's event loop and turned into the {@code EnforcementRecord} of the published exchange.
 */
public final class EnforcementState implements Supplier<EnforcementRecord> {

  private static final String KEY = "guardstream.enforcement.state";

  private final Policy policy;
  private final ResponseMode responseMode;
  private final List<String> verdictIds = new ArrayList<>();
  private boolean judgedInFlight;
  private Action action;
  private String blockedStage;
  private boolean failOpenBypass;
  private String bypassReason;

  private EnforcementState(Policy policy, boolean stream) {
    this.policy = policy;
    this.responseMode = stream ? policy.response : policy.response.forNonStreaming();
  }

  /** The exchange's state, created on first use with the policy that applies to it. */
  public static EnforcementState of(ExchangeContext ctx, Policy policy) {
    Object existing = ctx.attributes().get(KEY);
    if (existing != null) {
      return (EnforcementState) existing;
    }
    EnforcementState state = new EnforcementState(policy, ctx.chatRequest() != null && ctx.chatRequest().stream());
    ctx.attributes().put(KEY, state);
    ctx.attributes().put(ExchangeContext.ENFORCEMENT_RECORD, state);
    return state;
  }

  /** The state of an exchange that moderation already saw, or null. */
  public static EnforcementState find(ExchangeContext ctx) {
    return (EnforcementState) ctx.attributes().get(KEY);
  }

  public Policy policy() {
    return policy;
  }

  /** The response mode in force: streaming modes become {@code sync} for non-streamed answers. */
  public ResponseMode responseMode() {
    return responseMode;
  }

  /**
   * Applies a verdict to one stage of this exchange: records it, decides under the policy and counts the
   * decision. {@code redactable} is false where content cannot be partly replaced.
   */
  Decision decide(GuardVerdict verdict, Decision.Stage stage, boolean redactable, EnforcementMetrics metrics) {
    judgedInFlight = true;
    verdictIds.add(verdict.getVerdictId());
    Decision decision = Decision.of(policy, verdict, stage);
    if (!redactable) {
      decision = decision.withoutRedaction();
    }
    acted(decision);
    metrics.decision(decision);
    return decision;
  }

  /**
   * Records that no verdict could be had, under the policy's failure mode, and counts it; returns the
   * {@code unverified} annotation for the client.
   */
  JsonObject guardFailed(Decision.Stage stage, Throwable cause, EnforcementMetrics metrics) {
    String reason = cause instanceof GuardUnavailableException e
        ? e.reason().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage() : "error: " + cause;
    metrics.guardFailure(stage, policy.onGuardFailure);
    judgedInFlight = true;
    bypassReason = reason;
    if (failsOpen()) {
      failOpenBypass = true;
    } else {
      action = Action.BLOCK;
      if (blockedStage == null) {
        blockedStage = stage.label();
      }
    }
    return ContentFilterResponses.unverified(stage, reason, failsOpen());
  }

  boolean failsOpen() {
    return policy.onGuardFailure == FailureMode.FAIL_OPEN;
  }

  private void acted(Decision decision) {
    if (!decision.unsafe()) {
      return;
    }
    if (decision.action().strongerThan(action)) {
      action = decision.action();
    }
    if (decision.action() == Action.BLOCK && blockedStage == null) {
      blockedStage = decision.stage().label();
    }
  }

  @Override
  public EnforcementRecord get() {
    return EnforcementRecord.newBuilder()
        .setPolicy(policy.name)
        .setRequestMode(policy.request.yaml())
        .setResponseMode(responseMode.yaml())
        .setTransport(judgedInFlight ? policy.transport.yaml() : null)
        .setAction(action == null ? EnforcementAction.NONE : EnforcementAction.valueOf(action.name()))
        .setBlockedStage(blockedStage)
        .setVerdictIds(List.copyOf(verdictIds))
        .setFailOpenBypass(failOpenBypass)
        .setBypassReason(bypassReason)
        .build();
  }
}
