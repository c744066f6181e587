package io.guardstream.gateway.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.guardstream.gateway.policy.Modes.Action;
import io.guardstream.gateway.policy.Modes.FailureMode;
import io.guardstream.gateway.policy.Modes.RequestMode;
import io.guardstream.gateway.policy.Modes.ResponseMode;
import io.guardstream.gateway.policy.Modes.Transport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One named moderation policy, as written under {@code policies:} in the policy file. Every field has
 * a default; the defaults are standalone's: judge requests before forwarding, release streamed text
 * only after it was judged, block on unsafe content, fail closed, reach the guard through Kafka.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class Policy {

  public static final int DEFAULT_WINDOW_CHARS = 400;
  public static final int DEFAULT_OVERLAP_CHARS = 80;
  /** Score at or above which a category fires when neither its own threshold nor {@link #threshold} is set. */
  public static final double DEFAULT_CATEGORY_THRESHOLD = 0.5;
  public static final long DEFAULT_GUARD_TIMEOUT_MS = 3_000;
  public static final String DEFAULT_REFUSAL_TEXT =
      "I can't help with that. This content was blocked by the GuardStream content policy.";
  public static final String DEFAULT_REDACTION_TEXT = "[removed by GuardStream content policy]";

  /** Filled from the map key; not written in YAML. */
  public String name = "default";
  public RequestMode request = RequestMode.SYNC;
  public ResponseMode response = ResponseMode.HOLD_BACK;
  /** Characters of streamed text judged together. */
  public int windowChars = DEFAULT_WINDOW_CHARS;
  /** Characters a window repeats from the previous one, so a phrase split at a boundary is still seen whole. */
  public int overlapChars = DEFAULT_OVERLAP_CHARS;
  /**
   * Harm score (request or response head) at or above which content is unsafe; {@code null} (the default) follows
   * the guard's own label, whose thresholds were calibrated with its heads.
   */
  public Double threshold;
  /** Category scores at or above which content is unsafe on its own, e.g. {@code sexual/minors: 0.2}. */
  public Map<String, Double> categoryThresholds = new LinkedHashMap<>();
  /** Action for unsafe content whose triggering categories name no action of their own. */
  public Action action = Action.BLOCK;
  /** Per-category actions; the strongest action among the categories that fired wins. */
  public Map<String, Action> categoryActions = new LinkedHashMap<>();
  public FailureMode onGuardFailure = FailureMode.FAIL_CLOSED;
  public long guardTimeoutMs = DEFAULT_GUARD_TIMEOUT_MS;
  public Transport transport = Transport.KAFKA;
  /** Ask the guard for reasoning steps (costs time; verdicts carry them to clients and topics). */
  public boolean reasoning = true;
  public String refusalText = DEFAULT_REFUSAL_TEXT;
  public String redactionText = DEFAULT_REDACTION_TEXT;

  public static Policy defaults() {
    return new Policy();
  }

  /** Checks the settings together; throws with a message naming the policy and the bad value. */
  public Policy validate() {
    require(windowChars >= 32, "windowChars must be at least 32, got " + windowChars);
    require(overlapChars >= 0 && overlapChars < windowChars,
        "overlapChars must be between 0 and windowChars - 1, got " + overlapChars);
    require(threshold == null || threshold > 0 && threshold <= 1, "threshold must be in (0, 1], got " + threshold);
    categoryThresholds.forEach((category, value) ->
        require(value != null && value > 0 && value <= 1, "categoryThresholds." + category + " must be in (0, 1], got " + value));
    categoryActions.forEach((category, value) -> require(value != null, "categoryActions." + category + " is empty"));
    require(guardTimeoutMs > 0, "guardTimeoutMs must be positive, got " + guardTimeoutMs);
    require(refusalText != null && !refusalText.isBlank(), "refusalText must not be empty");
    require(redactionText != null, "redactionText must not be null");
    return this;
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("Policy '" + name + "': " + message);
    }
  }
}
