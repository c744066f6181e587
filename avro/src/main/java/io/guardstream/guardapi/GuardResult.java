package io.guardstream.guardapi;

import java.util.Map;

/**
 * One result of the model server, as in its batch API.
 *
 * @param response null when the item had no response
 * @param refusal  null when the item had no response
 */
public record GuardResult(String id, String model, Label request, Label response, Label refusal,
                          Map<String, Double> categories, String reasoning, double latencyMs) {

    public static final String HARMFUL = "harmful";

    public GuardResult {
        categories = categories == null ? Map.of() : Map.copyOf(categories);
        reasoning = reasoning == null ? "" : reasoning;
    }

    /** A binary decision and the probability of its positive class. */
    public record Label(String label, double score) {
        public boolean is(String value) {
            return value.equalsIgnoreCase(label);
        }
    }

    public boolean requestHarmful() {
        return request != null && request.is(HARMFUL);
    }

    public boolean responseHarmful() {
        return response != null && response.is(HARMFUL);
    }
}
