package io.guardstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DilutedAnswersTest {

    private static final String HELPFUL = "Water the tomatoes in the morning. Mulch keeps the soil moist for longer. "
            + "Stake the plants once they reach a foot, and pinch off the suckers that grow between stem and branch. "
            + "Feed them every two weeks with a balanced fertiliser. Pick the fruit when it is fully coloured.";

    @Test
    void passageIsWholeSentencesWithinTheWordBounds() {
        for (int seed = 0; seed < 20; seed++) {
            String passage = DilutedAnswers.passage(HELPFUL, new Random(seed));
            assertThat(HELPFUL.replace("\n", " ")).contains(passage);
            assertThat(passage.split(" ").length).isBetween(DilutedAnswers.MIN_PASSAGE_WORDS, DilutedAnswers.MAX_PASSAGE_WORDS);
            assertThat(passage).matches("[A-Z].*");
        }
        String longAnswer = "word ".repeat(200).strip() + ".";
        assertThat(DilutedAnswers.passage(longAnswer, new Random(1)).split(" ")).hasSize(DilutedAnswers.MAX_PASSAGE_WORDS);
    }

    @Test
    void dilutesAsManyHarmlessAsHarmfulAnswersAndKeepsTheirResponseLabels() {
        List<GuardRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(new GuardRecord("h" + i, "gptfuzz", "How do I make a weapon " + i, "Step " + i + ": take the parts.",
                    true, true, false, List.of("weapons")));
        }
        for (int i = 0; i < 30; i++) {
            records.add(new GuardRecord("b" + i, "alpacaeval-answers", "How do I grow tomatoes " + i,
                    HELPFUL.replace("tomatoes", "tomatoes in bed " + i), false, false, false, List.of()));
        }
        records.add(new GuardRecord("refusal", "safety-only", "How do I make a weapon", "I can't help with that.",
                true, false, true, List.of()));
        records.add(new GuardRecord("chat", "diasafety", "you are dumb", "So are you", null, true, null, List.of()));
        records.add(new GuardRecord("prompt-only", "olid", "hello", null, false, null, null, List.of()));

        List<GuardRecord> copies = DilutedAnswers.balanced(records, 8, 13);
        assertThat(copies).isEqualTo(DilutedAnswers.balanced(records, 8, 13));
        assertThat(copies).filteredOn(GuardRecord::responseHarmful).hasSize(8);
        assertThat(copies).filteredOn(r -> !r.responseHarmful()).hasSize(8);
        assertThat(copies).extracting(GuardRecord::id).doesNotContain("chat-dil", "prompt-only-dil");
        List<GuardRecord> all = DilutedAnswers.balanced(records, 100, 13);
        assertThat(all).hasSize(20);
        for (GuardRecord copy : all) {
            GuardRecord original = records.stream().filter(r -> copy.id().equals(r.id() + "-dil")).findFirst().orElseThrow();
            assertThat(copy.source()).isEqualTo(DilutedAnswers.SOURCE);
            assertThat(copy.prompt()).isEqualTo(original.prompt());
            assertThat(copy.promptHarmful()).isNull();
            assertThat(copy.refusal()).isEqualTo(original.refusal() ? null : Boolean.FALSE);
            assertThat(copy.categories()).isEqualTo(original.categories());
            assertThat(copy.response()).contains(original.response());
            String added = copy.response().replace(original.response(), "").strip();
            assertThat(added.split(" ").length).isBetween(DilutedAnswers.MIN_PASSAGE_WORDS, DilutedAnswers.MAX_PASSAGE_WORDS);
            assertThat(records).filteredOn(r -> r != original && Boolean.FALSE.equals(r.promptHarmful()))
                    .anyMatch(r -> r.response().contains(added));
        }
        assertThat(copies).anyMatch(c -> c.response().startsWith("Step"))
                .anyMatch(c -> c.responseHarmful() && !c.response().startsWith("Step"));
    }

    @Test
    void aDilutedRefusalKeepsItsHarmLabelOnly() {
        List<GuardRecord> records = List.of(
                new GuardRecord("h1", "gptfuzz", "How do I make a weapon", "Take the parts.", true, true, false, List.of()),
                new GuardRecord("h2", "gptfuzz", "How do I make a poison", "Mix the powders.", true, true, false, List.of()),
                new GuardRecord("r", "safety-only", "How do I make a weapon", "I can't help with that.", true, false, true,
                        List.of()),
                new GuardRecord("b", "alpacaeval-answers", "How do I grow tomatoes", HELPFUL, false, false, false, List.of()));
        GuardRecord refusal = DilutedAnswers.balanced(records, 2, 13).stream().filter(c -> c.id().equals("r-dil"))
                .findFirst().orElseThrow();
        assertThat(refusal.responseHarmful()).isFalse();
        assertThat(refusal.refusal()).isNull();
        assertThat(refusal.response()).contains("I can't help with that.").isNotEqualTo("I can't help with that.");
    }

    @Test
    void noHarmlessAnswerToAHarmlessRequestMeansNoCopies() {
        List<GuardRecord> records = List.of(
                new GuardRecord("h", "gptfuzz", "How do I make a weapon", "Take the parts.", true, true, false, List.of()),
                new GuardRecord("s", "safety-only", "How do I make a weapon", "Weapons are dangerous; talk to someone.",
                        true, false, null, List.of()));
        assertThat(DilutedAnswers.balanced(records, 8, 13)).isEmpty();
    }
}
