package io.guardstream.model.reasoning;

import java.util.List;

/**
 * What the guard measured for one item; the only input of {@link ReasoningBuilder}. {@code unjudgedImages} counts
 * attached images that no image guard looked at.
 */
public record Evidence(Task request, Response response, List<Score> topCategories, int unjudgedImages) {

    public Evidence(Task request, Response response, List<Score> topCategories) {
        this(request, response, topCategories, 0);
    }

    /** A scored task: score, threshold, how many windows covered the text, which scored highest, driving spans. */
    public record Task(float score, float threshold, int windows, int bestWindow, List<Span> spans) {
        public boolean positive() {
            return score >= threshold;
        }
    }

    /**
     * The response task: {@code verdict}'s score is {@code contentHarm}, the response head's harm score, counted only
     * as far as the assistant complied ({@code contentHarm * (1 - refusal.score())}).
     */
    public record Response(Task verdict, float contentHarm, Refusal refusal) {
    }

    public record Refusal(float score, float threshold, List<Span> cues) {
        public boolean refused() {
            return score >= threshold;
        }
    }

    /** A piece of the input and how much the score fell when it was masked out (occlusion). */
    public record Span(String text, float drop) {
    }

    public record Score(String name, float score) {
    }
}
