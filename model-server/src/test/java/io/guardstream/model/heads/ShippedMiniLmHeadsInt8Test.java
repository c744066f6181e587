package io.guardstream.model.heads;

import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.Precision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The MiniLM fixtures with the encoder's linear layers in int8: the configuration that meets the throughput target
 * (docs/model-server.md, Speed).
 */
@Tag("model")
class ShippedMiniLmHeadsInt8Test extends ShippedMiniLmHeadsTest {

    @BeforeAll
    static void load() throws Exception {
        assumeThat(Precision.INT8.resolve()).as("a CPU with VNNI").isEqualTo(Precision.INT8);
        model = load(BaseEncoder.MINILM_L6, Precision.INT8);
        assertThat(model.precision()).isEqualTo(Precision.INT8);
    }
}
