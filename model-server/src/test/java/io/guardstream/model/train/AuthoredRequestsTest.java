package io.guardstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.guardstream.model.heads.Categories;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthoredRequestsTest {

    @Test
    void everyFrameIsExpandedWithEveryTopicOfItsSection() {
        List<GuardRecord> records = AuthoredRequests.BENIGN_SENSITIVE.expand("""
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
            assertThat(r.source()).isEqualTo(AuthoredRequests.BENIGN_SENSITIVE.source());
        });
        assertThat(records.get(4).categories()).containsExactly("section:history");
        assertThat(records).extracting(GuardRecord::id).doesNotHaveDuplicates();
    }

    @Test
    void aFrameWithoutTopicsOrPlaceholderIsRefused() {
        assertThatThrownBy(() -> AuthoredRequests.BENIGN_SENSITIVE.expand("[a]\nWhat is {topic}?\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> AuthoredRequests.BENIGN_SENSITIVE.expand("[a]\ntopics: x\nNo placeholder here.\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 3");
    }

    @Test
    void theShippedResourcesExpandToDistinctFilledPrompts() {
        List<GuardRecord> benign = AuthoredRequests.BENIGN_SENSITIVE.load();
        List<GuardRecord> harmful = AuthoredRequests.HARMFUL_PLAIN.load();
        assertThat(benign).hasSizeGreaterThan(1000).allSatisfy(r -> assertThat(r.promptHarmful()).isFalse());
        assertThat(harmful).hasSizeGreaterThan(150).allSatisfy(r -> assertThat(r.promptHarmful()).isTrue());
        for (List<GuardRecord> set : List.of(benign, harmful)) {
            assertThat(set).extracting(GuardRecord::prompt).doesNotHaveDuplicates()
                    .noneMatch(p -> p.contains("{") || p.contains("}"));
        }
    }

    @Test
    void everyHarmfulSectionNamesATrainedCategory() {
        assertThat(AuthoredRequests.HARMFUL_PLAIN.load()).allSatisfy(r ->
                assertThat(Categories.map(r.categories())).as(r.categories().toString()).isNotEmpty());
    }
}
