package io.guardstream.gateway.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.LabelScore;
import io.guardstream.gateway.enforce.Decision.Stage;
import io.guardstream.gateway.policy.Modes.Action;
import io.guardstream.gateway.policy.Policy;
import io.guardstream.gateway.policy.PolicySet;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionTest {

  private final Policy policy = PolicySet.parse("""
      policies:
        default:
          threshold: 0.5
          categoryThresholds: {sexual/minors: 0.2}
          categoryActions: {harassment: flag, violence: redact, sexual/minors: block}
      """).forName("default");

  @Test
  void shouldPassContentBelowTheThreshold() {
    Decision decision = Decision.of(policy, verdict(0.3, 0.1, Map.of("violence", 0.3)), Stage.REQUEST);
    assertThat(decision.unsafe()).isFalse();
    assertThat(decision.action()).isNull();
  }

  @Test
  void shouldTakeTheStrongestActionAmongFiredCategories() {
    Decision response = Decision.of(policy, verdict(0.1, 0.9, Map.of("harassment", 0.8, "violence", 0.7)), Stage.RESPONSE);
    assertThat(response.unsafe()).isTrue();
    assertThat(response.action()).isEqualTo(Action.REDACT);
    assertThat(response.categories()).containsExactly("harassment", "violence");
  }

  @Test
  void shouldBlockRequestsThatWouldOnlyBeRedacted() {
    Decision request = Decision.of(policy, verdict(0.9, null, Map.of("violence", 0.9)), Stage.REQUEST);
    assertThat(request.action()).isEqualTo(Action.BLOCK);
  }

  @Test
  void shouldFireOnAStrictCategoryThresholdEvenWhenTheHarmScoreIsLow() {
    Decision decision = Decision.of(policy, verdict(0.1, 0.1, Map.of("sexual/minors", 0.25)), Stage.RESPONSE);
    assertThat(decision.blocks()).isTrue();
    assertThat(decision.categories()).containsExactly("sexual/minors");
  }

  @Test
  void shouldUseTheDefaultActionWhenNoFiredCategoryNamesOne() {
    Decision decision = Decision.of(policy, verdict(0.95, null, Map.of("illicit", 0.9)), Stage.REQUEST);
    assertThat(decision.action()).isEqualTo(Action.BLOCK);
  }

  @Test
  void shouldFollowTheGuardsCalibratedLabelWhenThePolicySetsNoThreshold() {
    Policy defaults = Policy.defaults().validate();
    GuardVerdict harmfulBelowHalf = labelled("harmful", 0.45, "unharmful", 0.65);
    assertThat(Decision.of(defaults, harmfulBelowHalf, Stage.REQUEST).unsafe()).isTrue();
    assertThat(Decision.of(defaults, harmfulBelowHalf, Stage.RESPONSE).unsafe()).isFalse();
    // an explicit threshold judges the score and overrides the label both ways
    assertThat(Decision.of(policy, harmfulBelowHalf, Stage.REQUEST).unsafe()).isFalse();
    assertThat(Decision.of(policy, harmfulBelowHalf, Stage.RESPONSE).unsafe()).isTrue();
  }

  @Test
  void shouldStillFireCategoriesAtTheDefaultCategoryThresholdWithoutAPolicyThreshold() {
    Policy defaults = PolicySet.parse("""
        policies:
          default:
            categoryThresholds: {sexual/minors: 0.2}
        """).forName("default");
    GuardVerdict verdict = GuardVerdict.newBuilder(labelled("unharmful", 0.1, null, 0))
        .setCategories(Map.of("sexual/minors", 0.25, "violence", 0.55, "illicit", 0.3)).build();
    Decision decision = Decision.of(defaults, verdict, Stage.REQUEST);
    assertThat(decision.unsafe()).isTrue();
    assertThat(decision.categories()).containsExactly("violence", "sexual/minors");
  }

  private static GuardVerdict labelled(String requestLabel, double request, String responseLabel, double response) {
    return GuardVerdict.newBuilder().setVerdictId("v").setExchangeId("e").setTenantId("t").setModel("m")
        .setRequest(new LabelScore(requestLabel, request))
        .setResponse(responseLabel == null ? null : new LabelScore(responseLabel, response))
        .setCategories(Map.of()).setCreatedAt(Instant.EPOCH).build();
  }

  private static GuardVerdict verdict(double request, Double response, Map<String, Double> categories) {
    return GuardVerdict.newBuilder().setVerdictId("v").setExchangeId("e").setTenantId("t").setModel("m")
        .setRequest(new LabelScore(request >= 0.5 ? "harmful" : "unharmful", request))
        .setResponse(response == null ? null : new LabelScore(response >= 0.5 ? "harmful" : "unharmful", response))
        .setCategories(categories).setCreatedAt(Instant.EPOCH).build();
  }
}
