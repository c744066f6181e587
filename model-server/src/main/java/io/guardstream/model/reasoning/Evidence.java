package io.guardstream.model.reasoning;

import java.util.List;

/**
 * What the guard measured for one item; the only input of {@link ReasoningBuilder}. {@code unjudgedImages} counts
 * attached images that no image guard looked at.
 */
public record Evidence(Task request, Task response, Refusal refusal, List<Score> topCategories, int unjudgedImages) {

    public Evidence(Task request, Task response, Refusal refusal, List<Score> topCategories) {
        this(request, response, refusal, topCategories, 0);
    }

    /** A scored task: score, threshold, how many windows covered the text, which scored highest, driving spans. */
    public record Task(float score, float threshold, int windows, int bestWindow, List<Span> spans) {
        public boolean positive() {
            return score >= threshold;
        }
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
