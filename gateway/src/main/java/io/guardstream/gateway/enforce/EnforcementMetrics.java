package io.guardstream.gateway.enforce;

import io.guardstream.gateway.policy.Modes.FailureMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Counters of what moderation decided and how often the guard failed, by stage; registered once, not per call. */
public final class EnforcementMetrics {

  private final Map<String, Counter> decisions = new HashMap<>();
  private final Map<String, Counter> failures = new HashMap<>();

  public EnforcementMetrics(MeterRegistry registry) {
    for (Decision.Stage stage : Decision.Stage.values()) {
      for (String action : List.of("pass", "block", "redact", "flag")) {
        decisions.put(stage.label() + action, Counter.builder("guardstream_enforcement_decisions")
            .description("In-flight verdicts applied, by stage and action")
            .tag("stage", stage.label()).tag("action", action).register(registry));
      }
      for (FailureMode mode : FailureMode.values()) {
        failures.put(stage.label() + mode.yaml(), Counter.builder("guardstream_guard_failures")
            .description("Guard errors and timeouts in flight, by stage and the policy's failure mode")
            .tag("stage", stage.label()).tag("mode", mode.yaml()).register(registry));
      }
    }
  }

  void decision(Decision decision) {
    decisions.get(decision.stage().label() + (decision.unsafe() ? decision.action().yaml() : "pass")).increment();
  }

  /** Fail-open bypasses and fail-closed refusals; every one is also marked on its exchange. */
  void guardFailure(Decision.Stage stage, FailureMode mode) {
    failures.get(stage.label() + mode.yaml()).increment();
  }
}
