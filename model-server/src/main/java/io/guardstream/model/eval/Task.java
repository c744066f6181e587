package io.guardstream.model.eval;

import io.guardstream.model.GuardResult;
import io.guardstream.model.train.GuardRecord;

import java.util.List;

/** The guard's three binary tasks, each scored over the records that carry its gold label. */
enum Task {
    PROMPT_HARM("prompt_harm", "harmful"),
    RESPONSE_HARM("response_harm", "harmful"),
    REFUSAL("refusal", "refusal");

    private final String key;
    private final String positiveLabel;

    Task(String key, String positiveLabel) {
        this.key = key;
        this.positiveLabel = positiveLabel;
    }

    String key() {
        return key;
    }

    BinaryMetrics metrics(List<EvalMain.Scored> scored) {
        BinaryMetrics m = new BinaryMetrics();
        for (EvalMain.Scored s : scored) {
            Boolean gold = gold(s.record());
            GuardResult.Verdict verdict = verdict(s.result());
            if (gold != null && verdict != null) {
                m.add(gold, positiveLabel.equals(verdict.label()));
            }
        }
        return m;
    }

    private Boolean gold(GuardRecord r) {
        return switch (this) {
            case PROMPT_HARM -> r.promptHarmful();
            case RESPONSE_HARM -> r.responseHarmful();
            case REFUSAL -> r.refusal();
        };
    }

    private GuardResult.Verdict verdict(GuardResult g) {
        return switch (this) {
            case PROMPT_HARM -> g.request();
            case RESPONSE_HARM -> g.response();
            case REFUSAL -> g.refusal();
        };
    }
}
