package io.guardstream.model.heads;

import io.guardstream.model.encoder.BaseEncoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The MiniLM fixtures with the encoder's linear layers in int8: the configuration that meets the throughput target
 * (docs/model-server.md, Speed).
 */
@Tag("model")
class ShippedMiniLmHeadsInt8Test extends ShippedMiniLmHeadsTest {

    @BeforeAll
    static void load() throws Exception {
        model = loadInt8(BaseEncoder.MINILM_L6);
    }
}
