package io.guardstream.model.heads;

import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.Precision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The same fixtures, judged the same way, by the heads shipped for all-MiniLM-L6-v2 (the faster guard). */
@Tag("model")
class ShippedMiniLmHeadsTest extends ShippedHeadsTest {

    @BeforeAll
    static void load() throws Exception {
        model = load(BaseEncoder.MINILM_L6, Precision.AUTO);
    }
}
