package io.guardstream.gateway.enforce;

import io.guardstream.avro.EnforcementAction;
import io.guardstream.avro.EnforcementRecord;
import io.guardstream.gateway.policy.Modes.Action;
import io.guardstream.gateway.policy.Modes.ResponseMode;
import io.guardstream.gateway.policy.Policy;
import io.guardstream.gateway.proxy.ExchangeContext;
import io.guardstream.gateway.proxy.ProxyHandler;
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
    ctx.attributes().put(ProxyHandler.ENFORCEMENT_RECORD, state);
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

  void verdict(String verdictId) {
    judgedInFlight = true;
    verdictIds.add(verdictId);
  }

  void acted(Decision decision) {
    if (!decision.unsafe()) {
      return;
    }
    if (decision.action().strongerThan(action)) {
      action = decision.action();
    }
    if (decision.action() == Action.BLOCK && blockedStage == null) {
      blockedStage = decision.stage().name().toLowerCase();
    }
  }

  void failedClosed(Decision.Stage stage, String reason) {
    judgedInFlight = true;
    action = Action.BLOCK;
    if (blockedStage == null) {
      blockedStage = stage.name().toLowerCase();
    }
    bypassReason = reason;
  }

  void failedOpen(String reason) {
    judgedInFlight = true;
    failOpenBypass = true;
    bypassReason = reason;
  }

  public boolean failedOpen() {
    return failOpenBypass;
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
