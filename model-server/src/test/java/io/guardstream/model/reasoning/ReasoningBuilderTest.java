package io.guardstream.model.reasoning;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReasoningBuilderTest {

    @Test
    void shouldStateScoresSpansAndEndWithAnswerLines() {
        Evidence e = new Evidence(
                new Evidence.Task(0.93f, 0.45f, 1, 0, List.of(new Evidence.Span("build a pipe bomb", 0.61f))),
                new Evidence.Response(new Evidence.Task(0.03f, 0.4f, 1, 0, List.of()), 0.88f,
                        new Evidence.Refusal(0.97f, 0.5f, List.of(new Evidence.Span("I can't help with that", 0.4f)))),
                List.of(new Evidence.Score("illicit/violent", 0.88f), new Evidence.Score("violence", 0.41f)));
        String r = ReasoningBuilder.build(e);
        assertThat(r).contains("0.93").contains("0.45").contains("\"build a pipe bomb\" (-0.61)")
                .contains("illicit/violent 0.88").contains("refused").contains("\"I can't help with that\"");
        assertThat(r).contains("content harm score is 0.88").contains("0.88 x (1 - 0.97) = 0.03 against a threshold of 0.40");
        assertThat(r).endsWith("Request: harmful\nResponse: unharmful");
    }

    @Test
    void shouldJudgeAComplyingResponseByItsWeighedScore() {
        Evidence e = new Evidence(new Evidence.Task(0.9f, 0.45f, 1, 0, List.of()),
                new Evidence.Response(new Evidence.Task(0.81f, 0.4f, 4, 2, List.of(new Evidence.Span("Step 1", 0.5f))),
                        0.9f, new Evidence.Refusal(0.1f, 0.5f, List.of())),
                List.of());
        String r = ReasoningBuilder.build(e);
        assertThat(r).contains("complied").contains("content harm score is 0.90 over 4 windows (highest in window 3)")
                .contains("= 0.81 against a threshold of 0.40").contains("\"Step 1\" (-0.50)");
        assertThat(r).endsWith("Request: harmful\nResponse: harmful");
    }

    @Test
    void shouldOmitResponseLineWithoutResponseAndStayBounded() {
        String longSpan = "x".repeat(5000);
        Evidence e = new Evidence(new Evidence.Task(0.1f, 0.45f, 3, 1, List.of(new Evidence.Span(longSpan, 0.05f))),
                null, List.of(), 2);
        String r = ReasoningBuilder.build(e);
        assertThat(r).endsWith("Request: unharmful").doesNotContain("Response:").contains("over 3 windows")
                .contains("2 attached image(s) were not judged");
        assertThat(r.length()).isLessThanOrEqualTo(ReasoningBuilder.MAX_CHARS);
    }
}
