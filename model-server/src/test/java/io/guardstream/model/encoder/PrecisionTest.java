package io.guardstream.model.encoder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrecisionTest {

    @Test
    void shouldParseAnyCaseAndRejectOthers() {
        assertThat(Precision.parse(" BF16 ")).isEqualTo(Precision.BF16);
        assertThat(Precision.parse("fp32")).isEqualTo(Precision.FP32);
        assertThatThrownBy(() -> Precision.parse("fp16")).hasMessageContaining("auto, fp32 or bf16, not fp16");
    }

    @Test
    void shouldResolveAutoToAConcretePrecisionAndKeepExplicitOnes() {
        assertThat(Precision.AUTO.resolve()).isIn(Precision.FP32, Precision.BF16);
        assertThat(Precision.FP32.resolve()).isEqualTo(Precision.FP32);
        assertThat(Precision.BF16.resolve()).isEqualTo(Precision.BF16);
    }
}
