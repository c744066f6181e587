package io.guardstream.gateway.enforce;

import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.LabelScore;
import io.guardstream.gateway.policy.Modes.Action;
import io.guardstream.gateway.policy.Policy;
import io.guardstream.guardapi.GuardResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What a policy makes of one verdict: safe, or unsafe with the action to take and the categories that
 * fired. Requests cannot be partly forwarded, so on the request stage {@code redact} acts as {@code block}.
 *
 * @param action null when safe
 * @param categories categories at or above their threshold, highest score first
 */
public record Decision(Stage stage, boolean unsafe, Action action, double score, List<String> categories) {

  /** Which side of the exchange a verdict is applied to. */
  public enum Stage {
    REQUEST, RESPONSE;

    /** The stage as clients and records spell it: {@code request}, {@code response}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static Decision of(Policy policy, GuardVerdict verdict, Stage stage) {
    LabelScore label = stage == Stage.REQUEST ? verdict.getRequest() : verdict.getResponse();
    double score = label == null ? 0.0 : label.getScore();
    boolean harmful = label != null
        && (policy.threshold == null ? GuardResult.HARMFUL.equalsIgnoreCase(label.getLabel()) : score >= policy.threshold);

    List<Map.Entry<String, Double>> fired = new ArrayList<>();
    boolean categoryOverride = false;
    for (Map.Entry<String, Double> category : verdict.getCategories().entrySet()) {
      Double own = policy.categoryThresholds.get(category.getKey());
      double threshold = own != null ? own
          : policy.threshold != null ? policy.threshold : Policy.DEFAULT_CATEGORY_THRESHOLD;
      if (category.getValue() >= threshold) {
        fired.add(category);
        categoryOverride |= own != null;
      }
    }
    fired.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
    List<String> categories = fired.stream().map(Map.Entry::getKey).toList();

    if (!harmful && !categoryOverride) {
      return new Decision(stage, false, null, score, List.of());
    }
    Action action = null;
    for (String category : categories) {
      Action own = policy.categoryActions.get(category);
      if (own != null && own.strongerThan(action)) {
        action = own;
      }
    }
    if (action == null) {
      action = policy.action;
    }
    Decision decision = new Decision(stage, true, action, score, categories);
    return stage == Stage.REQUEST ? decision.withoutRedaction() : decision;
  }

  /** Where content cannot be partly replaced (a request, text already sent), redacting means blocking. */
  public Decision withoutRedaction() {
    return unsafe && action == Action.REDACT ? new Decision(stage, true, Action.BLOCK, score, categories) : this;
  }

  public boolean blocks() {
    return unsafe && action == Action.BLOCK;
  }
}
