package io.guardstream.model.encoder;

import io.guardstream.model.encoder.Precision.Cpu;
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
    void shouldResolveToAConcretePrecisionOnThisMachine() {
        assertThat(Precision.AUTO.resolve()).isIn(Precision.FP32, Precision.BF16);
        assertThat(Precision.FP32.resolve()).isEqualTo(Precision.FP32);
        assertThat(Precision.BF16.resolve()).isIn(Precision.BF16, Precision.FP32);
        assertThat(Precision.INT8.resolve()).isIn(Precision.INT8, Precision.AUTO.resolve());
    }

    @Test
    void shouldFallBackFromInt8ToWhatAutoPicksWithoutVnni() {
        Cpu sapphireRapids = new Cpu(true, true, true, true);
        Cpu cascadeLake = new Cpu(false, true, true, true);
        Cpu zen4WithOnednnOff = new Cpu(true, true, true, false);
        Cpu zen3 = new Cpu(false, false, false, true);
        assertThat(Precision.INT8.resolve(sapphireRapids)).isEqualTo(Precision.INT8);
        assertThat(Precision.INT8.resolve(cascadeLake)).isEqualTo(Precision.INT8);
        assertThat(Precision.INT8.resolve(zen4WithOnednnOff)).isEqualTo(Precision.BF16);
        assertThat(Precision.INT8.resolve(zen3)).isEqualTo(Precision.FP32);
        assertThat(Precision.AUTO.resolve(sapphireRapids)).isEqualTo(Precision.BF16);
        assertThat(Precision.AUTO.resolve(cascadeLake)).isEqualTo(Precision.FP32);
    }

    @Test
    void shouldKeepAskedForBfloat16OnlyWhereTensorFlowRewritesTheGraph() {
        // emulated on AVX-512 CPUs without native bfloat16 products; skipped by TensorFlow on AVX2-only CPUs
        assertThat(Precision.BF16.resolve(new Cpu(false, true, false, false))).isEqualTo(Precision.BF16);
        assertThat(Precision.BF16.resolve(new Cpu(false, false, false, true))).isEqualTo(Precision.FP32);
    }

    @Test
    void shouldReadTheCpuFromItsFlagsWordForWord() {
        String zen3 = "processor\t: 0\nflags\t\t: fpu sse4_2 avx avx2 fma\n"
                + "processor\t: 1\nflags\t\t: fpu sse4_2 avx avx2 fma\n";
        assertThat(Cpu.of(zen3, null)).isEqualTo(new Cpu(false, false, false, false));
        String zen4 = "flags\t\t: avx2 avx512f avx512_bf16 avx512_vnni avx512_fp16\n";
        assertThat(Cpu.of(zen4, null)).isEqualTo(new Cpu(true, true, true, true));
        // avx512fp16 alone is not avx512f; avx_vnni (Alder Lake) is VNNI without AVX-512
        assertThat(Cpu.of("flags : avx2 avx512fp16 avx_vnni\n", null)).isEqualTo(new Cpu(false, false, true, true));
    }

    @Test
    void shouldLetTheOnednnSwitchOverrideTensorFlowsDefaultEitherWay() {
        String zen3 = "flags : avx avx2 fma\n";
        String zen4 = "flags : avx2 avx512f avx512_bf16 avx512_vnni\n";
        assertThat(Cpu.of(zen3, "1").onednn()).isTrue();
        assertThat(Cpu.of(zen3, "TRUE").onednn()).isTrue();
        assertThat(Cpu.of(zen3, "1").int8()).as("no VNNI").isFalse();
        assertThat(Cpu.of(zen4, "0")).isEqualTo(new Cpu(true, true, true, false));
        assertThat(Cpu.of(zen4, "false").int8()).isFalse();
        assertThat(Cpu.of(zen4, "maybe").onednn()).as("what TensorFlow does with a value it cannot read").isTrue();
    }

    @Test
    void shouldSayWhyAnAskedForPrecisionDoesNotRun() {
        Cpu zen3 = new Cpu(false, false, false, false);
        assertThat(zen3.whyNot(Precision.BF16)).contains("AVX512F");
        assertThat(zen3.whyNot(Precision.INT8)).as("oneDNN off too, but VNNI is what is missing").contains("VNNI")
                .doesNotContain("TF_ENABLE_ONEDNN_OPTS");
        assertThat(new Cpu(true, true, true, false).whyNot(Precision.INT8)).contains("TF_ENABLE_ONEDNN_OPTS");
        assertThat(zen3.whyNot(Precision.FP32)).isNull();
        assertThat(zen3.whyNot(Precision.AUTO)).isNull();
        assertThat(new Cpu(true, true, true, true).whyNot(Precision.INT8)).isNull();
    }
}
