package io.guardstream.gateway.enforce;

import io.guardstream.gateway.policy.Modes.FailureMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counters of what moderation decided and how often the guard failed, by stage. */
public final class EnforcementMetrics {

  private final MeterRegistry registry;

  public EnforcementMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void decision(Decision decision) {
    Counter.builder("guardstream_enforcement_decisions")
        .description("In-flight verdicts applied, by stage and action")
        .tag("stage", stage(decision.stage()))
        .tag("action", decision.unsafe() ? decision.action().yaml() : "pass")
        .register(registry).increment();
  }

  /** Fail-open bypasses and fail-closed refusals; every one is also marked on its exchange. */
  void guardFailure(Decision.Stage stage, FailureMode mode) {
    Counter.builder("guardstream_guard_failures")
        .description("Guard errors and timeouts in flight, by stage and the policy's failure mode")
        .tag("stage", stage(stage))
        .tag("mode", mode.yaml())
        .register(registry).increment();
  }

  private static String stage(Decision.Stage stage) {
    return stage.name().toLowerCase();
  }
}
