package io.guardstream.model.encoder;

import io.guardstream.model.onnx.OnnxInitializers.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoraAdapterTest {

    // W [3 x 2], A [3 x 1], B [1 x 2]
    private static final LoraAdapter ADAPTER = new LoraAdapter(1, 2f, Map.of("m",
            new LoraAdapter.Factors(3, 2, new float[] {1, 0, -1}, new float[] {0.5f, 2})));

    @Test
    void shouldAddScaledLowRankProductToTheWeightAndLeaveTheRestAlone() {
        float[] w = {1, 2, 3, 4, 5, 6};
        Map<String, FloatTensor> merged = ADAPTER.mergeInto(Map.of(
                "m.weight", new FloatTensor(new long[] {3, 2}, w),
                "m.bias", new FloatTensor(new long[] {2}, new float[] {7, 8})));
        // W + 2 * A B = W + 2 * [[0.5, 2], [0, 0], [-0.5, -2]]
        assertThat(merged.get("m.weight").data()).containsExactly(2, 6, 3, 4, 4, 2);
        assertThat(merged.get("m.bias").data()).containsExactly(7, 8);
        assertThat(w).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void shouldRejectAnAdapterThatDoesNotFitTheEncoder() {
        assertThatThrownBy(() -> ADAPTER.mergeInto(Map.of("m.weight", new FloatTensor(new long[] {2, 3}, new float[6]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m");
        assertThatThrownBy(() -> new LoraAdapter.Factors(3, 2, new float[4], new float[2]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRoundTripThroughAFileWithAStableFingerprint(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("adapter.bin");
        ADAPTER.write(file);
        LoraAdapter read = LoraAdapter.read(file);
        assertThat(read.rank()).isEqualTo(1);
        assertThat(read.scale()).isEqualTo(2f);
        assertThat(read.modules().get("m").a()).containsExactly(1, 0, -1);
        assertThat(read.modules().get("m").b()).containsExactly(0.5f, 2);
        assertThat(read.fingerprint()).isEqualTo(ADAPTER.fingerprint()).hasSize(8);
        LoraAdapter other = new LoraAdapter(1, 3f, ADAPTER.modules());
        assertThat(other.fingerprint()).isNotEqualTo(ADAPTER.fingerprint());
    }

    @Test
    void shouldAverageAdaptersFactorByFactor() {
        LoraAdapter other = new LoraAdapter(1, 2f, Map.of("m",
                new LoraAdapter.Factors(3, 2, new float[] {3, 2, 1}, new float[] {1.5f, 0})));
        LoraAdapter mean = LoraAdapter.average(List.of(ADAPTER, other));
        assertThat(mean.rank()).isEqualTo(1);
        assertThat(mean.scale()).isEqualTo(2f);
        assertThat(mean.modules().get("m").a()).containsExactly(2, 1, 0);
        assertThat(mean.modules().get("m").b()).containsExactly(1, 1);
        assertThat(LoraAdapter.average(List.of(ADAPTER)).fingerprint()).isEqualTo(ADAPTER.fingerprint());
    }

    @Test
    void shouldRefuseToAverageAdaptersOfDifferentShapes() {
        LoraAdapter otherScale = new LoraAdapter(1, 3f, ADAPTER.modules());
        LoraAdapter otherModule = new LoraAdapter(1, 2f, Map.of("n", ADAPTER.modules().get("m")));
        assertThatThrownBy(() -> LoraAdapter.average(List.of(ADAPTER, otherScale)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoraAdapter.average(List.of(ADAPTER, otherModule)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoraAdapter.average(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
