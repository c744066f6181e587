package io.guardstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ObfuscationsTest {

    @Test
    void eachKindRespellsOneWordTheWayItSays() {
        assertThat(Obfuscations.respell("I hate you", Obfuscations.Kind.SPACED, new Random(1))).isEqualTo("I h a t e you");
        for (int seed = 0; seed < 20; seed++) {
            String leet = Obfuscations.respell("we hate", Obfuscations.Kind.LEET, new Random(seed));
            assertThat(leet).matches("we h[a4][t7][e3]").isNotEqualTo("we hate");
            assertThat(leet.chars().filter(Character::isDigit).count()).isBetween(1L, 2L);
        }
        assertThat(Obfuscations.respell("we hate", Obfuscations.Kind.DROPPED, new Random(1)))
                .isIn("we hte", "we hae");
        assertThat(Obfuscations.respell("we hate", Obfuscations.Kind.SWAPPED, new Random(1))).isEqualTo("we htae");
        assertThat(Obfuscations.respell("we hate", Obfuscations.Kind.JOINED, new Random(1))).isEqualTo("wehate");
        assertThat(Obfuscations.respell("a b c", Obfuscations.Kind.SPACED, new Random(1))).isEqualTo("a b c");
    }

    @Test
    void balancedRespellsAsManyBenignAsHarmfulShortPrompts() {
        // no word with a doubled letter, so every kind changes the prompt and no copy is left out
        List<GuardRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(new GuardRecord("h" + i, "s", "Those people are vermin number " + i, null, true, null, null, List.of()));
        }
        for (int i = 0; i < 30; i++) {
            records.add(new GuardRecord("b" + i, "s", "Please describe chapter number " + i, null, false, null, null, List.of()));
        }
        records.add(new GuardRecord("long", "s", "word ".repeat(100), null, true, null, null, List.of()));
        records.add(new GuardRecord("pair", "s", "Tell me something", "Something else", true, null, null, List.of()));
        records.add(new GuardRecord("unlabelled", "s", "Tell me something", null, null, null, null, List.of()));
        List<GuardRecord> copies = Obfuscations.balanced(records, 8, 13);
        assertThat(copies).filteredOn(GuardRecord::promptHarmful).hasSize(8);
        assertThat(copies).filteredOn(r -> !r.promptHarmful()).hasSize(8);
        assertThat(copies).extracting(GuardRecord::id).doesNotContain("long-obf", "pair-obf", "unlabelled-obf");
        assertThat(Obfuscations.balanced(records, 100, 13)).hasSize(20);
    }

    @Test
    void copiesKeepLabelsAndAreTheSameForTheSameSeed() {
        List<GuardRecord> records = List.of(
                new GuardRecord("h1", "guardstream-hateful-forms", "Why are those people so disgusting?", null, true, null,
                        null, List.of("section:hate question")),
                new GuardRecord("b1", "guardstream-benign-profanity", "Holy shit, we won the final!", null, false, null,
                        null, List.of("section:profanity joy")),
                new GuardRecord("x", "guardstream-benign-profanity", "no no", null, false, null, null, List.of()));
        List<GuardRecord> copies = Obfuscations.of(records, 13);
        assertThat(copies).isEqualTo(Obfuscations.of(records, 13));
        assertThat(copies).extracting(GuardRecord::id).containsExactly("h1-obf", "b1-obf");
        assertThat(copies).allSatisfy(c -> assertThat(c.source()).isEqualTo(Obfuscations.SOURCE));
        for (int i = 0; i < copies.size(); i++) {
            GuardRecord copy = copies.get(i);
            GuardRecord original = records.get(i);
            assertThat(copy.prompt()).isNotEqualTo(original.prompt());
            assertThat(copy.promptHarmful()).isEqualTo(original.promptHarmful());
            assertThat(copy.categories()).isEqualTo(original.categories());
        }
    }
}
