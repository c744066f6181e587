package io.guardstream.model.encoder;

import io.guardstream.model.onnx.OnnxInitializers.FloatTensor;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assumptions.assumeThat;

class Int8ParamsTest {

    private static final int ROWS = 40;
    private static final int IN = 96;
    private static final int OUT = 48;

    @Test
    void shouldQuantizeWeightsPerColumnWithTheColumnSumsOfTheRoundedValues() {
        float[] w = {0.5f, -1.0f, 0.26f, 0.0f, -0.5f, 0.74f}; // [3, 2]
        Int8Params.QuantizedWeight q = Int8Params.QuantizedWeight.of(new FloatTensor(new long[] {3, 2}, w), "m", null);

        assertThat(q.columnScales()).containsExactly(0.5f, 1.0f);
        assertThat(q.values()).containsExactly(127, -127, 66, 0, -127, 94);
        assertThat(q.columnSums()[0]).isCloseTo((127 + 66 - 127) * 0.5f / 127, offset(1e-6f));
        assertThat(q.columnSums()[1]).isCloseTo((-127 + 0 + 94) * 1.0f / 127, offset(1e-6f));
        // smoothing multiplies the rows (input channels) before quantizing
        Int8Params.QuantizedWeight smoothed = Int8Params.QuantizedWeight.of(new FloatTensor(new long[] {3, 2}, w), "m",
                new float[] {1f, 4f, 1f});
        assertThat(smoothed.columnScales()).containsExactly(1.04f, 1.0f);
        assertThatThrownBy(() -> Int8Params.QuantizedWeight.of(new FloatTensor(new long[] {6}, w), "bias.like", null))
                .hasMessageContaining("bias.like");
    }

    @Test
    void shouldTellTheFeedForwardContractionFromTheOtherLinearModules() {
        assertThat(Int8Params.isFeedForwardOutput("encoder.layer.3.output.dense")).isTrue();
        assertThat(Int8Params.isFeedForwardOutput("encoder.layer.3.attention.output.dense")).isFalse();
        assertThat(Int8Params.isFeedForwardOutput("encoder.layer.3.intermediate.dense")).isFalse();
    }

    @Test
    void shouldComputeSignedInputsPerTensorWithinQuantizationErrorOfFloat() {
        assumeThat(Precision.INT8.resolve()).as("a CPU with VNNI").isEqualTo(Precision.INT8);
        Random r = new Random(7);
        float[] x = gaussian(r, ROWS * IN, 1f);
        for (int i = 0; i < x.length; i += 7) {
            x[i] -= 3f; // signed and off-centre, so the shift through the bias matters
        }
        x[5] = 40f; // one outlier channel, which smoothing tames
        float[] channelMax = new float[IN];
        for (int i = 0; i < x.length; i++) {
            channelMax[i % IN] = Math.max(channelMax[i % IN], Math.abs(x[i]));
        }
        assertWithinQuantizationError(r, x, "m", Map.of(), 0.08);
        assertWithinQuantizationError(r, x, "m", Map.of("m", channelMax), 0.03);
    }

    @Test
    void shouldComputeGeluOutputsPerTokenWithinQuantizationErrorOfFloat() {
        assumeThat(Precision.INT8.resolve()).as("a CPU with VNNI").isEqualTo(Precision.INT8);
        Random r = new Random(11);
        float[] x = gaussian(r, ROWS * IN, 1f);
        for (int i = 0; i < x.length; i++) {
            double v = x[i] * (i / IN == 3 ? 20.0 : 1.0); // one loud token
            x[i] = (float) (0.5 * v * (1 + erf(v / Math.sqrt(2))));
        }
        assertWithinQuantizationError(r, x, "encoder.layer.0.output.dense", Map.of(), 0.03);
    }

    @Test
    void shouldFoldGeluIntoTheFeedForwardProductsAndAScaleIntoItsProduct() {
        assumeThat(Precision.INT8.resolve()).as("a CPU with VNNI").isEqualTo(Precision.INT8);
        Random r = new Random(5);
        int inner = 4 * IN;
        Map<String, FloatTensor> w = Map.of(
                "l.intermediate.dense.weight", new FloatTensor(new long[] {IN, inner}, gaussian(r, IN * inner, 0.1f)),
                "l.intermediate.dense.bias", new FloatTensor(new long[] {inner}, gaussian(r, inner, 0.5f)),
                "l.output.dense.weight", new FloatTensor(new long[] {inner, OUT}, gaussian(r, inner * OUT, 0.05f)),
                "l.output.dense.bias", new FloatTensor(new long[] {OUT}, gaussian(r, OUT, 0.1f)),
                "m.weight", new FloatTensor(new long[] {IN, OUT}, gaussian(r, IN * OUT, 0.05f)),
                "m.bias", new FloatTensor(new long[] {OUT}, gaussian(r, OUT, 0.1f)));
        float[] x = gaussian(r, ROWS * IN, 1f);

        float[][] exact = evaluate(BertGraph::constants, w, x);
        float[][] int8 = evaluate((tf, weights) -> new Int8Params(tf, weights, Map.of()), w, x);

        assertThat(relativeError(int8[0], exact[0])).as("feed-forward").isLessThan(0.03);
        assertThat(relativeError(int8[1], exact[1])).as("scaled dense").isLessThan(0.03);
    }

    @Test
    void shouldFoldTheContextSmoothingIntoTheValueColumnsAndAddTheResidualInTheProduct() {
        assumeThat(Precision.INT8.resolve()).as("a CPU with VNNI").isEqualTo(Precision.INT8);
        Random r = new Random(3);
        String value = "l.attention.self.value";
        String output = "l.attention.output.dense";
        Map<String, FloatTensor> w = Map.of(
                value + ".weight", new FloatTensor(new long[] {IN, IN}, gaussian(r, IN * IN, 0.1f)),
                value + ".bias", new FloatTensor(new long[] {IN}, gaussian(r, IN, 0.5f)),
                output + ".weight", new FloatTensor(new long[] {IN, OUT}, gaussian(r, IN * OUT, 0.05f)),
                output + ".bias", new FloatTensor(new long[] {OUT}, gaussian(r, OUT, 0.1f)));
        float[] x = gaussian(r, ROWS * IN, 1f);
        float[] residual = gaussian(r, ROWS * OUT, 1f);
        float[] loudContext = new float[IN];
        java.util.Arrays.fill(loudContext, 1f);
        loudContext[7] = 25f; // the smoothing divides value column 7 and multiplies output row 7 by about 5

        float[] exact = chain(BertGraph::constants, w, x, residual);
        float[] int8 = chain((tf, weights) -> new Int8Params(tf, weights, Map.of(output, loudContext)), w, x,
                residual);

        assertThat(relativeError(int8, exact)).isLessThan(0.03).isGreaterThan(0.0);
    }

    /** {@code denseAndAdd(dense(x, value), output, residual)}: the value projection feeding the attention output. */
    private static float[] chain(BiFunction<Ops, Map<String, FloatTensor>, BertGraph.Params> params,
                                 Map<String, FloatTensor> weights, float[] x, float[] residual) {
        return runGraph(Precision.FP32, x, (tf, in) -> {
            BertGraph.Params p = params.apply(tf, weights);
            return List.of(p.denseAndAdd(tf, p.dense(tf, in, "l.attention.self.value"), "l.attention.output.dense",
                    tf.constant(Shape.of(ROWS, OUT), DataBuffers.of(residual, true, false))));
        })[0];
    }

    /** The feed-forward block of layer {@code l.} and {@code 0.25 * dense(m)} over {@code x}. */
    private static float[][] evaluate(BiFunction<Ops, Map<String, FloatTensor>, BertGraph.Params> params,
                                      Map<String, FloatTensor> weights, float[] x) {
        return runGraph(Precision.FP32, x, (tf, in) -> {
            BertGraph.Params p = params.apply(tf, weights);
            return List.of(p.feedForward(tf, in, "l."), p.dense(tf, in, "m", 0.25f));
        });
    }

    private static float[] run(String module, Map<String, float[]> ranges, float[] w, float[] b, float[] x) {
        return runGraph(Precision.INT8, x, (tf, in) -> List.of(new Int8Params(tf, Map.of(
                module + ".weight", new FloatTensor(new long[] {IN, OUT}, w),
                module + ".bias", new FloatTensor(new long[] {OUT}, b)), ranges).dense(tf, in, module)))[0];
    }

    /** Feeds {@code x} as {@code [ROWS, IN]} to the outputs {@code build} makes, each {@code [ROWS, OUT]}. */
    private static float[][] runGraph(Precision precision, float[] x,
                                      BiFunction<Ops, Operand<TFloat32>, List<Operand<TFloat32>>> build) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> in = tf.placeholder(TFloat32.class);
            List<Operand<TFloat32>> outputs = build.apply(tf, in);
            try (Session s = new Session(g, precision.sessionConfig(1).build());
                 TFloat32 xt = TFloat32.tensorOf(Shape.of(ROWS, IN), DataBuffers.of(x, true, false))) {
                Session.Runner runner = s.runner().feed(in, xt);
                outputs.forEach(runner::fetch);
                try (Result res = runner.run()) {
                    float[][] out = new float[outputs.size()][ROWS * OUT];
                    for (int i = 0; i < out.length; i++) {
                        ((TFloat32) res.get(i)).copyTo(DataBuffers.of(out[i], false, false));
                    }
                    return out;
                }
            }
        }
    }

    private static void assertWithinQuantizationError(Random r, float[] x, String module, Map<String, float[]> ranges,
                                                      double maxError) {
        float[] w = gaussian(r, IN * OUT, 0.05f);
        float[] b = gaussian(r, OUT, 0.1f);
        float[] expected = new float[ROWS * OUT];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < OUT; j++) {
                double s = b[j];
                for (int k = 0; k < IN; k++) {
                    s += x[i * IN + k] * w[k * OUT + j];
                }
                expected[i * OUT + j] = (float) s;
            }
        }

        float[] got = run(module, ranges, w, b, x);
        float[] constant = run(module, ranges, w, b, new float[ROWS * IN]); // zero range: must not divide by zero

        assertThat(relativeError(got, expected)).as(module + " " + ranges.keySet()).isLessThan(maxError)
                .isGreaterThan(0.0);
        for (int j = 0; j < OUT; j++) {
            assertThat(constant[j]).isCloseTo(b[j], offset(1e-3f));
        }
    }

    private static double relativeError(float[] got, float[] expected) {
        double err = 0;
        double ref = 0;
        for (int i = 0; i < got.length; i++) {
            err += (got[i] - expected[i]) * (got[i] - expected[i]);
            ref += expected[i] * expected[i];
        }
        return Math.sqrt(err / ref);
    }

    /** Abramowitz-Stegun 7.1.26, |error| < 1.5e-7: enough for a GELU-shaped fixture. */
    private static double erf(double z) {
        double t = 1 / (1 + 0.3275911 * Math.abs(z));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-z * z);
        return Math.signum(z) * y;
    }

    private static float[] gaussian(Random r, int n, float sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * sd;
        }
        return v;
    }
}
