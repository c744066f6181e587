package io.guardstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenignSensitiveRequestsTest {

    @Test
    void everyFrameIsExpandedWithEveryTopicOfItsSection() {
        List<GuardRecord> records = BenignSensitiveRequests.expand("""
                # comment
                [drugs]
                topics: heroin; alcohol ;
                What are the health risks of {topic}?
                How do doctors treat {topic} withdrawal?
                [history]
                topics: the Holocaust
                Explain the causes of {topic}.
                """);
        assertThat(records).extracting(GuardRecord::prompt).containsExactly(
                "What are the health risks of heroin?", "What are the health risks of alcohol?",
                "How do doctors treat heroin withdrawal?", "How do doctors treat alcohol withdrawal?",
                "Explain the causes of the Holocaust.");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.promptHarmful()).isFalse();
            assertThat(r.response()).isNull();
            assertThat(r.source()).isEqualTo(BenignSensitiveRequests.SOURCE);
        });
        assertThat(records.get(4).categories()).containsExactly("section:history");
        assertThat(records).extracting(GuardRecord::id).doesNotHaveDuplicates();
    }

    @Test
    void aFrameWithoutTopicsOrPlaceholderIsRefused() {
        assertThatThrownBy(() -> BenignSensitiveRequests.expand("[a]\nWhat is {topic}?\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> BenignSensitiveRequests.expand("[a]\ntopics: x\nNo placeholder here.\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 3");
    }

    @Test
    void theShippedResourceExpandsToDistinctFilledPrompts() {
        List<GuardRecord> records = BenignSensitiveRequests.load();
        assertThat(records).hasSizeGreaterThan(1000);
        assertThat(records).extracting(GuardRecord::prompt).doesNotHaveDuplicates()
                .noneMatch(p -> p.contains("{") || p.contains("}"));
    }
}
