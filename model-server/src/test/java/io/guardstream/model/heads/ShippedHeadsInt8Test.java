package io.guardstream.model.heads;

import io.guardstream.model.encoder.BaseEncoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The same fixtures, judged the same way, with the encoder's linear layers in int8. */
@Tag("model")
class ShippedHeadsInt8Test extends ShippedHeadsTest {

    @BeforeAll
    static void load() throws Exception {
        model = loadInt8(BaseEncoder.DEFAULT);
    }
}
