package io.guardstream.model.eval;

import io.guardstream.model.train.GuardRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

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

    private static GuardRecord record(String source, List<String> categories) {
        return new GuardRecord(source + "-1", source, "a prompt", null, true, null, null, categories);
    }
}
