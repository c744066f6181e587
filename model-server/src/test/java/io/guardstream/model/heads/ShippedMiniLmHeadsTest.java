package io.guardstream.model.heads;

import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.Precision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The same fixtures, judged the same way, by the heads shipped for all-MiniLM-L6-v2 (the faster guard). */
@Tag("model")
class ShippedMiniLmHeadsTest extends ShippedHeadsTest {

    @BeforeAll
    static void load() throws Exception {
        model = load(BaseEncoder.MINILM_L6, Precision.AUTO);
    }

    @Override
    @Disabled("the MiniLM heads were trained before the contrastive answers' second batch and miss harmful advice in answers "
            + "to ordinary requests (kettle 0.02, fever 0.23; docs/model-server.md, session 13)")
    @Test
    void shouldFlagDangerousAdviceInAnswersToOrdinaryRequests() {
    }

    @Override
    @Disabled("the MiniLM heads were trained before the authored disclosures and pass suicidal intent and threats "
            + "(pills 0.34, wrists 0.01, crowd 0.001; docs/model-server.md, session 14)")
    @Test
    void shouldFlagDisclosedSuicidalIntentAndThreatsButNotSadnessOrNews() {
    }
}
