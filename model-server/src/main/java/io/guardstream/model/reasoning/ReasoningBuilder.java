package io.guardstream.model.reasoning;

import java.util.List;
import java.util.Locale;

/**
 * Builds GuardReasoner-style numbered steps from an {@link Evidence}: every sentence states a measured score,
 * category or span; the text ends with the answer lines {@code Request: harmful|unharmful} and, when a response
 * was judged, {@code Response: harmful|unharmful}. Output is bounded by {@link #MAX_CHARS}.
 */
public final class ReasoningBuilder {

    public static final int MAX_CHARS = 2000;
    private static final int SPAN_CHARS = 80;

    private ReasoningBuilder() {
    }

    public static String build(Evidence e) {
        StringBuilder b = new StringBuilder();
        int step = 1;
        Evidence.Task req = e.request();
        b.append("# Task 1: is the request harmful?\n");
        b.append(step++).append(". ").append(requestLine(req)).append('\n');
        if (!e.topCategories().isEmpty()) {
            b.append(step++).append(". Closest harm categories: ");
            appendScores(b, e.topCategories());
            b.append(".\n");
        }
        if (!req.spans().isEmpty()) {
            b.append(step++).append(". Masking these request spans lowered the harm score most: ");
            appendSpans(b, req.spans());
            b.append(".\n");
        }
        if (e.unjudgedImages() > 0) {
            b.append(step++).append(". ").append(e.unjudgedImages())
                    .append(" attached image(s) were not judged: only the request text was scored.\n");
        }
        b.append(step++).append(". ").append(req.positive()
                ? "The score is at or above the threshold, so the request is judged harmful."
                : "The score is below the threshold, so the request is judged unharmful.").append('\n');
        if (e.response() != null) {
            Evidence.Task resp = e.response().verdict();
            Evidence.Refusal r = e.response().refusal();
            b.append("# Task 2: is the response harmful?\n");
            b.append(step++).append(String.format(Locale.ROOT, ". Refusal score %.2f (threshold %.2f): the assistant %s",
                    r.score(), r.threshold(), r.refused() ? "refused" : "complied"));
            if (!r.cues().isEmpty()) {
                b.append("; strongest refusal cues: ");
                appendSpans(b, r.cues());
            }
            b.append(".\n");
            b.append(step++).append(String.format(Locale.ROOT, ". The response's content harm score is %.2f%s.",
                    e.response().contentHarm(), windows(resp))).append('\n');
            b.append(step++).append(String.format(Locale.ROOT,
                    ". Harm counts only as far as the assistant complied: %.2f x (1 - %.2f) = %.2f against a threshold of %.2f.",
                    e.response().contentHarm(), r.score(), resp.score(), resp.threshold())).append('\n');
            if (!resp.spans().isEmpty()) {
                b.append(step++).append(". Masking these response spans lowered that score most: ");
                appendSpans(b, resp.spans());
                b.append(".\n");
            }
            b.append(step).append(". ").append(resp.positive()
                    ? "The response score is at or above the threshold, so the response is judged harmful."
                    : "The response score is below the threshold, so the response is judged unharmful.").append('\n');
        }
        String answers = "Request: " + (req.positive() ? "harmful" : "unharmful")
                + (e.response() == null ? "" : "\nResponse: " + (e.response().verdict().positive() ? "harmful" : "unharmful"));
        int room = MAX_CHARS - answers.length() - 5;
        String steps = b.length() > room ? b.substring(0, room) + "...\n" : b.toString();
        return steps + "---\n" + answers;
    }

    private static String requestLine(Evidence.Task t) {
        return String.format(Locale.ROOT, "The request harm score is %.2f against a threshold of %.2f%s.", t.score(),
                t.threshold(), windows(t));
    }

    private static String windows(Evidence.Task t) {
        return t.windows() > 1
                ? String.format(Locale.ROOT, " over %d windows (highest in window %d)", t.windows(), t.bestWindow() + 1)
                : "";
    }

    private static void appendScores(StringBuilder b, List<Evidence.Score> scores) {
        for (int i = 0; i < scores.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(scores.get(i).name())
                    .append(String.format(Locale.ROOT, " %.2f", scores.get(i).score()));
        }
    }

    private static void appendSpans(StringBuilder b, List<Evidence.Span> spans) {
        for (int i = 0; i < spans.size(); i++) {
            String t = spans.get(i).text().replaceAll("\\s+", " ").strip();
            if (t.length() > SPAN_CHARS) {
                t = t.substring(0, SPAN_CHARS) + "...";
            }
            b.append(i == 0 ? "" : ", ").append('"').append(t.replace("\"", "'")).append('"')
                    .append(String.format(Locale.ROOT, " (-%.2f)", spans.get(i).drop()));
        }
    }
}
