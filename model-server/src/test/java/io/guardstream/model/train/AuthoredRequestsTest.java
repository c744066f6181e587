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
                {topic} is taught in schools.
                """);
        assertThat(records).extracting(GuardRecord::prompt).containsExactly(
                "What are the health risks of heroin?", "What are the health risks of alcohol?",
                "How do doctors treat heroin withdrawal?", "How do doctors treat alcohol withdrawal?",
                "Explain the causes of the Holocaust.", "The Holocaust is taught in schools.");
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
        List<GuardRecord> benignIdentity = AuthoredRequests.BENIGN_IDENTITY.load();
        List<GuardRecord> hatefulIdentity = AuthoredRequests.HATEFUL_IDENTITY.load();
        List<GuardRecord> hatefulForms = AuthoredRequests.HATEFUL_FORMS.load();
        List<GuardRecord> benignProfanity = AuthoredRequests.BENIGN_PROFANITY.load();
        List<GuardRecord> borderline = AuthoredRequests.BENIGN_BORDERLINE.load();
        List<GuardRecord> wrapped = AuthoredRequests.HARMFUL_WRAPPED.load();
        List<GuardRecord> situated = AuthoredRequests.HARMFUL_SITUATED.load();
        List<GuardRecord> benignSituated = AuthoredRequests.BENIGN_SITUATED.load();
        List<GuardRecord> disclosed = AuthoredRequests.HARMFUL_DISCLOSED.load();
        List<GuardRecord> benignDisclosed = AuthoredRequests.BENIGN_DISCLOSED.load();
        List<GuardRecord> graphic = AuthoredRequests.HARMFUL_GRAPHIC.load();
        List<GuardRecord> intimacy = AuthoredRequests.BENIGN_INTIMACY.load();
        List<GuardRecord> figurative = AuthoredRequests.BENIGN_FIGURATIVE.load();
        List<GuardRecord> literal = AuthoredRequests.HARMFUL_LITERAL.load();
        assertThat(benign).hasSizeGreaterThan(1000).allSatisfy(r -> assertThat(r.promptHarmful()).isFalse());
        assertThat(harmful).hasSizeGreaterThan(150).allSatisfy(r -> assertThat(r.promptHarmful()).isTrue());
        assertThat(benignIdentity).hasSizeGreaterThan(600).allSatisfy(r -> assertThat(r.promptHarmful()).isFalse());
        assertThat(hatefulIdentity).hasSizeGreaterThan(200).allSatisfy(r -> assertThat(r.promptHarmful()).isTrue());
        assertThat(hatefulForms).hasSizeGreaterThan(300).allSatisfy(r -> assertThat(r.promptHarmful()).isTrue());
        assertThat(benignProfanity).hasSizeGreaterThan(100).allSatisfy(r -> assertThat(r.promptHarmful()).isFalse());
        assertThat(borderline).hasSizeGreaterThan(150).allSatisfy(r -> assertThat(r.promptHarmful()).isFalse());
        assertThat(wrapped).hasSizeGreaterThan(60).allSatisfy(r -> assertThat(r.promptHarmful()).isTrue());
        assertThat(situated).hasSizeGreaterThan(150).allSatisfy(r -> assertThat(r.promptHarmful()).isTrue());
        assertThat(benignSituated).hasSizeGreaterThan(150).allSatisfy(r -> assertThat(r.promptHarmful()).isFalse());
        assertThat(disclosed).hasSizeGreaterThan(120).allSatisfy(r -> assertThat(r.promptHarmful()).isTrue());
        assertThat(benignDisclosed).hasSizeGreaterThan(120).allSatisfy(r -> assertThat(r.promptHarmful()).isFalse());
        assertThat(graphic).hasSizeGreaterThan(120).allSatisfy(r -> assertThat(r.promptHarmful()).isTrue());
        assertThat(intimacy).hasSizeGreaterThan(120).allSatisfy(r -> assertThat(r.promptHarmful()).isFalse());
        assertThat(figurative).hasSizeGreaterThan(90).allSatisfy(r -> assertThat(r.promptHarmful()).isFalse());
        assertThat(literal).hasSizeGreaterThan(40).allSatisfy(r -> assertThat(r.promptHarmful()).isTrue());
        assertThat(graphic).filteredOn(r -> r.categories().contains("section:sexual role-play")).hasSize(28)
                .allSatisfy(r -> assertThat(Categories.map(r.categories())).containsExactly("sexual"));
        assertThat(disclosed).filteredOn(r -> r.categories().contains("section:self-harm intent"))
                .allSatisfy(r -> assertThat(Categories.map(r.categories())).containsExactly("self-harm"));
        assertThat(disclosed).filteredOn(r -> r.categories().contains("section:threat of violence"))
                .allSatisfy(r -> assertThat(Categories.map(r.categories())).contains("harassment/threatening"));
        assertThat(benignSituated).extracting(GuardRecord::prompt).doesNotContainAnyElementsOf(
                situated.stream().map(GuardRecord::prompt).toList());
        assertThat(benignIdentity).extracting(GuardRecord::prompt).doesNotContainAnyElementsOf(
                hatefulIdentity.stream().map(GuardRecord::prompt).toList());
        for (AuthoredRequests set : AuthoredRequests.values()) {
            assertThat(set.load()).as(set.name()).extracting(GuardRecord::prompt).doesNotHaveDuplicates()
                    .noneMatch(p -> p.contains("{") || p.contains("}"));
        }
    }

    @Test
    void everyHarmfulSectionNamesATrainedCategory() {
        assertThat(java.util.Arrays.stream(AuthoredRequests.values()).filter(AuthoredRequests::harmful)
                .flatMap(set -> set.load().stream()).toList()).allSatisfy(r ->
                assertThat(Categories.map(r.categories())).as(r.categories().toString()).isNotEmpty());
    }
}
