package io.guardstream.model.eval;

import io.guardstream.model.GuardResult;
import io.guardstream.model.train.GuardRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EvalMainTest {

    @Test
    void shouldSplitSourcesByTheirOriginTagOnly() {
        assertThat(EvalMain.group(record("wizard101-gr5k", List.of("origin:ToxicChatTrainR"))))
                .isEqualTo("wizard101-gr5k origin:ToxicChatTrainR");
        assertThat(EvalMain.group(record("jbb-artifacts", List.of("Harassment", "model:vicuna", "origin:PAIR/black_box"))))
                .isEqualTo("jbb-artifacts origin:PAIR/black_box");
        assertThat(EvalMain.group(record("davidson", List.of("hate")))).isEqualTo("davidson");
        assertThat(EvalMain.group(record("advbench", List.of()))).isEqualTo("advbench");
    }

    @Test
    void shouldWriteGoldLabelsAndScoresPerItem() {
        GuardRecord withResponse = new GuardRecord("d-7", "diasafety", "a\tprompt", "a reply", null, true, false,
                List.of("origin:X"));
        GuardResult result = new GuardResult("d-7", "m", new GuardResult.Verdict("unharmful", 0.125f),
                new GuardResult.Verdict("harmful", 0.75f), new GuardResult.Verdict("compliance", 0.0625f), Map.of(),
                null, 0);
        assertThat(ScoresTsv.line("dev.jsonl", withResponse, result))
                .isEqualTo("dev.jsonl\td-7\tdiasafety origin:X\t\t0.12500\t1\t0.75000\t0\t0.06250\n");
        GuardRecord promptOnly = record("advbench", List.of());
        GuardResult requestOnly = new GuardResult("advbench-1", "m", new GuardResult.Verdict("harmful", 1f), null, null,
                Map.of(), null, 0);
        assertThat(ScoresTsv.line("a.jsonl", promptOnly, requestOnly).split("\t", -1))
                .containsExactly("a.jsonl", "advbench-1", "advbench", "1", "1.00000", "", "", "", "\n");
        assertThat(ScoresTsv.HEADER.split("\t")).hasSize(9);
    }

    private static GuardRecord record(String source, List<String> categories) {
        return new GuardRecord(source + "-1", source, "a prompt", null, true, null, null, categories);
    }
}
