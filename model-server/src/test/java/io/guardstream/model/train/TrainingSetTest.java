package io.guardstream.model.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingSetTest {

    private static GuardRecord record(String source, int i, List<String> categories) {
        return new GuardRecord(source + "-" + i, source, "text " + source + " " + i, null, true, null, null, categories);
    }

    @Test
    void sourceWeightsOverrideThePromptDefaultsButNotTheOffensiveWeight() {
        TrainingSet set = new TrainingSet(10, 1, 0.25,
                Map.of("wizard101-gr5k", 3.0, "olid", 0.1, "davidson", 2.0));

        assertThat(set.promptWeight(record("wizard101-gr5k", 0, List.of()))).isEqualTo(3.0);
        assertThat(set.promptWeight(record("olid", 0, List.of()))).isEqualTo(0.1);
        assertThat(set.promptWeight(record("toxic-spans", 0, List.of()))).isEqualTo(TrainingSet.MILD_WEIGHT);
        assertThat(set.promptWeight(record("advbench", 0, List.of()))).isEqualTo(1.0);
        assertThat(set.promptWeight(record("davidson", 0, List.of("hate")))).isEqualTo(2.0);
        assertThat(set.promptWeight(record("davidson", 1, List.of("offensive")))).isEqualTo(0.25);
    }

    @Test
    void theFingerprintFollowsTheRecordsTheirOrderAndTheirWeights() {
        TrainingSet set = new TrainingSet(10, 1, 0, Map.of());
        List<GuardRecord> records = List.of(record("advbench", 0, List.of("weapons")), record("olid", 1, List.of()));
        String base = set.fingerprint(records);

        assertThat(base).matches("[0-9a-f]{8}");
        assertThat(new TrainingSet(10, 99, 0, Map.of()).fingerprint(new ArrayList<>(records))).isEqualTo(base);
        GuardRecord relabelled = new GuardRecord("olid-1", "olid", "text olid 1", null, false, null, null, List.of());
        GuardRecord reworded = new GuardRecord("olid-1", "olid", "text olid one", null, true, null, null, List.of());
        assertThat(set.fingerprint(List.of(records.get(0), relabelled))).isNotEqualTo(base);
        assertThat(set.fingerprint(List.of(records.get(0), reworded))).isNotEqualTo(base);
        assertThat(set.fingerprint(List.of(records.get(1), records.get(0)))).isNotEqualTo(base);
        assertThat(set.fingerprint(records.subList(0, 1))).isNotEqualTo(base);
        assertThat(new TrainingSet(10, 1, 0, Map.of("olid", 2.0)).fingerprint(records)).isNotEqualTo(base);
        assertThat(new TrainingSet(20, 1, 0, Map.of()).fingerprint(records)).isNotEqualTo(base);
    }

    @Test
    void sourceWeightsAlsoSetTheResponseWeight() {
        TrainingSet set = new TrainingSet(10, 1, 0, Map.of("gptfuzz", 2.0));
        TrainingSet dialogue = new TrainingSet(10, 1, 0, Map.of("diasafety", 1.0));

        assertThat(set.responseWeight(record("gptfuzz", 0, List.of()))).isEqualTo(2.0);
        assertThat(set.responseWeight(record("diasafety", 0, List.of()))).isEqualTo(TrainingSet.DIALOGUE_WEIGHT);
        assertThat(dialogue.responseWeight(record("diasafety", 0, List.of()))).isEqualTo(1.0);
        assertThat(dialogue.responseWeight(record("jbb-artifacts", 0, List.of()))).isEqualTo(1.0);
    }

    @Test
    void labelledAssistantResponsesBecomeContentExamplesOnlyWhenAskedAndNotFromDialogueData() {
        GuardRecord compliance = new GuardRecord("j-1", "jbb-artifacts", "attack", "Sure, step 1 ...", true, true, false,
                List.of());
        GuardRecord refusal = new GuardRecord("g-1", "gptfuzz", "question", "I cannot help with that.", true, false,
                true, List.of());
        GuardRecord dialogue = new GuardRecord("d-1", "diasafety", "context", "a reply", null, true, null, List.of());
        GuardRecord promptOnly = record("advbench", 0, List.of());
        TrainingSet set = new TrainingSet(10, 1, 0, Map.of("gptfuzz", 0.5), 2.0);

        assertThat(set.contentWeight(compliance)).isEqualTo(2.0);
        assertThat(set.contentWeight(refusal)).isEqualTo(1.0);
        assertThat(set.contentWeight(dialogue)).isZero();
        assertThat(set.contentWeight(promptOnly)).isZero();
        assertThat(new TrainingSet(10, 1, 0).contentWeight(compliance)).isZero();

        Targets harmful = Targets.responseContent(compliance, set);
        Targets benign = Targets.responseContent(refusal, set);
        assertThat(harmful.y()[0]).isEqualTo(1f);
        assertThat(harmful.w()[0]).isEqualTo(2f);
        assertThat(benign.y()[0]).isEqualTo(0f);
        assertThat(benign.w()[0]).isEqualTo(1f);
        assertThat(benign.w()[1]).isEqualTo(Targets.UNHARMFUL_CATEGORY_WEIGHT); // categories learn "none" from it
        assertThat(Targets.responseContent(dialogue, set)).isNull();
        assertThat(Targets.responseContent(compliance, null)).isNull();
    }

    @Test
    void selectionCapsEachSourceDeterministicallyAndKeepsTheMixesWhole() {
        List<GuardRecord> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.add(record("alpaca-rd-train", i, List.of()));
            all.add(record("wizard101-wildguardmix", i, List.of()));
            all.add(record("davidson", i, List.of("offensive")));
        }
        TrainingSet set = new TrainingSet(10, 7, 0);

        List<GuardRecord> selected = set.select(all);

        assertThat(selected).filteredOn(r -> r.source().equals("alpaca-rd-train")).hasSize(10);
        assertThat(selected).filteredOn(r -> r.source().equals("wizard101-wildguardmix")).hasSize(30);
        assertThat(selected).noneMatch(r -> r.source().equals("davidson"));
        assertThat(set.select(all)).containsExactlyElementsOf(selected);
        assertThat(new TrainingSet(10, 8, 0).select(all)).isNotEqualTo(selected);
    }
}
