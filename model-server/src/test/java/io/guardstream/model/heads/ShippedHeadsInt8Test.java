package io.guardstream.model.heads;

import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.Precision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The same fixtures, judged the same way, with the encoder's linear layers in int8. */
@Tag("model")
class ShippedHeadsInt8Test extends ShippedHeadsTest {

    @BeforeAll
    static void load() throws Exception {
        assumeThat(Precision.INT8.resolve()).as("a CPU with VNNI").isEqualTo(Precision.INT8);
        model = load(BaseEncoder.DEFAULT, Precision.INT8);
        assertThat(model.precision()).isEqualTo(Precision.INT8);
    }
}
