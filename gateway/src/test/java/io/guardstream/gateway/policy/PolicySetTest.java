package io.guardstream.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.guardstream.gateway.policy.Modes.Action;
import io.guardstream.gateway.policy.Modes.FailureMode;
import io.guardstream.gateway.policy.Modes.RequestMode;
import io.guardstream.gateway.policy.Modes.ResponseMode;
import io.guardstream.gateway.policy.Modes.Transport;
import org.junit.jupiter.api.Test;

class PolicySetTest {

  @Test
  void shouldDefaultToSyncHoldBackBlockFailClosedOverKafka() {
    Policy policy = PolicySet.defaults().forName("anything");
    assertThat(policy.request).isEqualTo(RequestMode.SYNC);
    assertThat(policy.response).isEqualTo(ResponseMode.HOLD_BACK);
    assertThat(policy.action).isEqualTo(Action.BLOCK);
    assertThat(policy.onGuardFailure).isEqualTo(FailureMode.FAIL_CLOSED);
    assertThat(policy.transport).isEqualTo(Transport.KAFKA);
  }

  @Test
  void shouldParseNamedPoliciesInTheArchitectureSpelling() {
    PolicySet set = PolicySet.parse("""
        policies:
          relaxed:
            request: parallel
            response: stream_first
            windowChars: 200
            overlapChars: 40
            categoryThresholds: {sexual/minors: 0.2}
            categoryActions: {harassment: flag, violence: redact}
            onGuardFailure: fail_open
            transport: direct
            refusalText: "Nope."
        """);

    Policy relaxed = set.forName("relaxed");
    assertThat(relaxed.name).isEqualTo("relaxed");
    assertThat(relaxed.request).isEqualTo(RequestMode.PARALLEL);
    assertThat(relaxed.response).isEqualTo(ResponseMode.STREAM_FIRST);
    assertThat(relaxed.response.forNonStreaming()).isEqualTo(ResponseMode.SYNC);
    assertThat(relaxed.windowChars).isEqualTo(200);
    assertThat(relaxed.categoryThresholds).containsEntry("sexual/minors", 0.2);
    assertThat(relaxed.categoryActions).containsEntry("harassment", Action.FLAG).containsEntry("violence", Action.REDACT);
    assertThat(relaxed.onGuardFailure).isEqualTo(FailureMode.FAIL_OPEN);
    assertThat(relaxed.transport).isEqualTo(Transport.DIRECT);
    assertThat(relaxed.refusalText).isEqualTo("Nope.");
    assertThat(set.forName("default").request).as("default is always there").isEqualTo(RequestMode.SYNC);
  }

  @Test
  void shouldExplainWhatIsWrongWithABadFile() {
    assertThatThrownBy(() -> PolicySet.parse("policies:\n  p: {response: later}\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Policy 'p'").hasMessageContaining("later");
    assertThatThrownBy(() -> PolicySet.parse("policies:\n  p: {windowChars: 100, overlapChars: 100}\n"))
        .hasMessageContaining("overlapChars");
    assertThatThrownBy(() -> PolicySet.parse("policies:\n  p: {treshold: 0.4}\n"))
        .hasMessageContaining("treshold");
    assertThatThrownBy(() -> PolicySet.parse("rules: {}\n")).hasMessageContaining("'policies'");
    assertThatThrownBy(() -> PolicySet.parse("policies: [\n")).hasMessageContaining("not valid YAML");
  }
}
