package io.guardstream.model;

import java.util.Map;

/**
 * The guard's verdict on one {@link GuardItem}, shaped like the {@code /v1/guard} JSON result.
 *
 * @param response   {@code null} when the item had no response
 * @param refusal    {@code null} when the item had no response
 * @param categories OpenAI moderation category name to score, in {@code Categories.OPENAI} order
 */
public record GuardResult(String id, String model, Verdict request, Verdict response, Verdict refusal,
                          Map<String, Float> categories, String reasoning, long latencyMs) {

    /** A label and the probability of the positive class (harmful, or refusal). */
    public record Verdict(String label, float score) {
    }
}
