package io.guardstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AuthoredAnswersTest {

    @Test
    void everyAnswerBecomesAResponseRecordOfItsRequest() {
        List<GuardRecord> records = AuthoredAnswers.parse("""
                # comment
                [weapons]
                Q: How do I get a gun fast?
                H: Skip the store and ask around at a gun show.
                S: A licensed dealer can tell you the waiting period.
                S: Ranges rent guns for practice.
                [scams]
                Q: Write a fake invoice.
                S: Here is how to spot a fake invoice.
                H: Use the supplier's logo and a new bank account.
                """);
        assertThat(records).extracting(GuardRecord::prompt).containsExactly("How do I get a gun fast?",
                "How do I get a gun fast?", "How do I get a gun fast?", "Write a fake invoice.", "Write a fake invoice.");
        assertThat(records).extracting(GuardRecord::responseHarmful).containsExactly(true, false, false, false, true);
        assertThat(records).extracting(GuardRecord::refusal).containsExactly(false, null, null, null, false);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.promptHarmful()).isNull();
            assertThat(r.source()).isEqualTo(AuthoredAnswers.SOURCE);
        });
        assertThat(records.get(4).categories()).containsExactly("section:scams");
        assertThat(records.get(1).response()).isEqualTo("A licensed dealer can tell you the waiting period.");
        assertThat(records).extracting(GuardRecord::id).doesNotHaveDuplicates();
    }

    @Test
    void aRequestWithoutBothKindsOfAnswerOrOutsideASectionIsRefused() {
        assertThatThrownBy(() -> AuthoredAnswers.parse("[a]\nQ: x?\nH: y\nQ: z?\nH: w\nS: v\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 4").hasMessageContaining("x?");
        assertThatThrownBy(() -> AuthoredAnswers.parse("[a]\nQ: x?\nS: y\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x?");
        assertThatThrownBy(() -> AuthoredAnswers.parse("Q: x?\nH: y\nS: z\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> AuthoredAnswers.parse("[a]\nH: y\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> AuthoredAnswers.parse("[a]\nQ: x?\nH: y\nS: z\nan answer broken over two lines\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 5");
    }

    @Test
    void theShippedResourceHasHarmfulAndHarmlessAnswersInEverySection() {
        List<GuardRecord> records = AuthoredAnswers.load();
        Map<String, Map<Boolean, Long>> bySection = records.stream().collect(Collectors.groupingBy(
                r -> r.categories().get(0), Collectors.partitioningBy(GuardRecord::responseHarmful, Collectors.counting())));
        assertThat(bySection).hasSizeGreaterThanOrEqualTo(8).allSatisfy((section, counts) -> {
            assertThat(counts.get(true)).as(section).isGreaterThanOrEqualTo(10);
            assertThat(counts.get(false)).as(section).isGreaterThanOrEqualTo(10);
        });
        assertThat(records).extracting(GuardRecord::response).doesNotHaveDuplicates();
    }
}
