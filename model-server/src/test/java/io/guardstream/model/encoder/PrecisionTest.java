package io.guardstream.model.encoder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrecisionTest {

    @Test
    void shouldParseAnyCaseAndRejectOthers() {
        assertThat(Precision.parse(" BF16 ")).isEqualTo(Precision.BF16);
        assertThat(Precision.parse("fp32")).isEqualTo(Precision.FP32);
        assertThat(Precision.parse("Int8")).isEqualTo(Precision.INT8);
        assertThatThrownBy(() -> Precision.parse("fp16")).hasMessageContaining("auto, fp32, bf16 or int8, not fp16");
    }

    @Test
    void shouldResolveAutoToAConcretePrecisionAndKeepExplicitOnes() {
        assertThat(Precision.AUTO.resolve()).isIn(Precision.FP32, Precision.BF16);
        assertThat(Precision.FP32.resolve()).isEqualTo(Precision.FP32);
        assertThat(Precision.BF16.resolve()).isEqualTo(Precision.BF16);
        assertThat(Precision.INT8.resolve()).isIn(Precision.INT8, Precision.AUTO.resolve());
    }

    @Test
    void shouldFallBackFromInt8ToWhatAutoPicksWithoutVnni() {
        assertThat(Precision.INT8.resolve(true, true)).isEqualTo(Precision.INT8);
        assertThat(Precision.INT8.resolve(false, true)).isEqualTo(Precision.INT8);
        assertThat(Precision.INT8.resolve(true, false)).isEqualTo(Precision.BF16);
        assertThat(Precision.INT8.resolve(false, false)).isEqualTo(Precision.FP32);
        assertThat(Precision.AUTO.resolve(true, true)).isEqualTo(Precision.BF16);
        assertThat(Precision.BF16.resolve(false, false)).isEqualTo(Precision.BF16);
    }
}
