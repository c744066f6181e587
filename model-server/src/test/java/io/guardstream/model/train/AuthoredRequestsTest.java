package io.guardstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.guardstream.model.heads.Categories;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
    void labelledTopicLinesCarryTheirOwnLabelThroughTheSameFrames() {
        List<GuardRecord> records = AuthoredRequests.PAIRED_INTENT.expand("""
                [drug manufacturing]
                benign: brew beer in my garage
                harmful: cook meth in my garage
                How do I {topic}?
                harmful: sell it at school
                Where can I {topic}?
                """);
        assertThat(records).extracting(GuardRecord::prompt, GuardRecord::promptHarmful).containsExactly(
                tuple("How do I brew beer in my garage?", false),
                tuple("How do I cook meth in my garage?", true),
                tuple("Where can I sell it at school?", true));
    }

    @Test
    void aPairedSetRefusesUnlabelledTopicsAndAPromptWithBothLabels() {
        assertThatThrownBy(() -> AuthoredRequests.PAIRED_INTENT.expand("[a]\ntopics: x\nWhat is {topic}?\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> AuthoredRequests.PAIRED_INTENT.expand(
                "[a]\nbenign: x\nWhat is {topic}?\nharmful: x\nWhat is {topic}?\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 5")
                .hasMessageContaining("What is x?");
    }

    /** Each shipped set, the fewest prompts it should expand to, and the label all of them carry (null: both). */
    private record Expected(AuthoredRequests set, int moreThan, Boolean harmful) {
    }

    private static final List<Expected> SHIPPED = List.of(
            new Expected(AuthoredRequests.BENIGN_SENSITIVE, 1000, false),
            new Expected(AuthoredRequests.HARMFUL_PLAIN, 150, true),
            new Expected(AuthoredRequests.BENIGN_IDENTITY, 600, false),
            new Expected(AuthoredRequests.HATEFUL_IDENTITY, 200, true),
            new Expected(AuthoredRequests.HATEFUL_FORMS, 300, true),
            new Expected(AuthoredRequests.BENIGN_PROFANITY, 100, false),
            new Expected(AuthoredRequests.BENIGN_BORDERLINE, 150, false),
            new Expected(AuthoredRequests.HARMFUL_WRAPPED, 60, true),
            new Expected(AuthoredRequests.HARMFUL_SITUATED, 150, true),
            new Expected(AuthoredRequests.BENIGN_SITUATED, 150, false),
            new Expected(AuthoredRequests.HARMFUL_DISCLOSED, 120, true),
            new Expected(AuthoredRequests.BENIGN_DISCLOSED, 120, false),
            new Expected(AuthoredRequests.HARMFUL_ANNOUNCED, 25, true),
            new Expected(AuthoredRequests.BENIGN_OUTINGS, 25, false),
            new Expected(AuthoredRequests.HARMFUL_GRAPHIC, 120, true),
            new Expected(AuthoredRequests.BENIGN_INTIMACY, 120, false),
            new Expected(AuthoredRequests.BENIGN_FIGURATIVE, 90, false),
            new Expected(AuthoredRequests.HARMFUL_LITERAL, 40, true),
            new Expected(AuthoredRequests.PAIRED_INTENT, 250, null),
            new Expected(AuthoredRequests.PAIRED_WORDINGS, 400, null),
            new Expected(AuthoredRequests.PAIRED_ROLEPLAY, 1100, null),
            new Expected(AuthoredRequests.PAIRED_INQUIRY, 550, null),
            new Expected(AuthoredRequests.PAIRED_MOTIVE, 450, null),
            new Expected(AuthoredRequests.PAIRED_TECHNICAL, 480, null),
            new Expected(AuthoredRequests.PAIRED_HAZARDS, 470, null),
            new Expected(AuthoredRequests.PAIRED_ANNOUNCEMENTS, 90, null),
            new Expected(AuthoredRequests.PAIRED_IDIOMS, 220, null),
            new Expected(AuthoredRequests.PAIRED_NAMED, 220, null),
            new Expected(AuthoredRequests.PAIRED_ARTIFACTS, 80, null));

    /** Names model-server/probes/named-tools.jsonl asks for, kept out of {@link AuthoredRequests#PAIRED_NAMED}. */
    private static final List<String> HELD_OUT_TOOL_NAMES = List.of("rootkit", "bootkit", "infostealer", "dropper",
            "webshell", "skimmer", "macro virus", "boot sector", "logic bomb", "cryptojacker");

    @Test
    void theShippedResourcesExpandToDistinctFilledPrompts() {
        for (Expected e : SHIPPED) {
            List<GuardRecord> records = e.set().load();
            assertThat(records).as(e.set().name()).hasSizeGreaterThan(e.moreThan());
            if (e.harmful() != null) {
                assertThat(records).allSatisfy(r -> assertThat(r.promptHarmful()).isEqualTo(e.harmful()));
            } else { // written in pairs: neither label outnumbers the other by more than a fifth
                long harmful = records.stream().filter(GuardRecord::promptHarmful).count();
                assertThat(harmful).as(e.set().name()).isBetween(records.size() * 4 / 10L, records.size() * 6 / 10L);
            }
        }
        assertThat(AuthoredRequests.HARMFUL_GRAPHIC.load())
                .filteredOn(r -> r.categories().contains("section:sexual role-play")).hasSize(28)
                .allSatisfy(r -> assertThat(Categories.map(r.categories())).containsExactly("sexual"));
        List<GuardRecord> disclosed = AuthoredRequests.HARMFUL_DISCLOSED.load();
        assertThat(disclosed).filteredOn(r -> r.categories().contains("section:self-harm intent"))
                .allSatisfy(r -> assertThat(Categories.map(r.categories())).containsExactly("self-harm"));
        assertThat(disclosed).filteredOn(r -> r.categories().contains("section:threat of violence"))
                .allSatisfy(r -> assertThat(Categories.map(r.categories())).contains("harassment/threatening"));
        assertThat(AuthoredRequests.HARMFUL_ANNOUNCED.load())
                .allSatisfy(r -> assertThat(Categories.map(r.categories())).contains("harassment/threatening"));
        assertThat(AuthoredRequests.BENIGN_SITUATED.load()).extracting(GuardRecord::prompt).doesNotContainAnyElementsOf(
                AuthoredRequests.HARMFUL_SITUATED.load().stream().map(GuardRecord::prompt).toList());
        assertThat(AuthoredRequests.BENIGN_IDENTITY.load()).extracting(GuardRecord::prompt).doesNotContainAnyElementsOf(
                AuthoredRequests.HATEFUL_IDENTITY.load().stream().map(GuardRecord::prompt).toList());
        // the named-tools probe's names stay out of the set that teaches the others
        assertThat(AuthoredRequests.PAIRED_NAMED.load()).extracting(r -> r.prompt().toLowerCase(Locale.ROOT))
                .noneMatch(p -> HELD_OUT_TOOL_NAMES.stream().anyMatch(p::contains));
        for (AuthoredRequests set : AuthoredRequests.values()) {
            assertThat(set.load()).as(set.name()).extracting(GuardRecord::prompt).doesNotHaveDuplicates()
                    .noneMatch(p -> p.contains("{") || p.contains("}"));
        }
    }

    @Test
    void everyHarmfulSectionNamesATrainedCategory() {
        assertThat(Arrays.stream(AuthoredRequests.values()).flatMap(set -> set.load().stream())
                .filter(GuardRecord::promptHarmful).toList()).allSatisfy(r ->
                assertThat(Categories.map(r.categories())).as(r.categories().toString()).isNotEmpty());
    }
}
