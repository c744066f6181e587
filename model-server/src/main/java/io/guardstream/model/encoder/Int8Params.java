package io.guardstream.model.encoder;

import io.guardstream.model.onnx.OnnxInitializers.FloatTensor;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frozen weights whose linear modules run as 8-bit integer products ({@code _QuantizedMatMul}, a u8 x s8 oneDNN
 * inner product on VNNI CPUs, with its epilogue fused: one scale per weight column, the bias, and GELU or a residual
 * addend where the graph has one). The kernel takes one scale for its whole input, so finer input scales are applied
 * around it:
 *
 * <ul>
 *   <li>weights: int8 per output column, the column's scale (and any constant output scale) in the kernel;</li>
 *   <li>inputs of the attention projections and of the feed-forward expansion (layer-norm outputs, attention
 *       context): one u8 scale over the batch. {@code x - m} with {@code m = min(x, 0)} is non-negative, and the
 *       shift comes back through the bias, {@code x W = (x - m) W + m colsum(W)}, with the column sums of the
 *       quantized weights so that their rounding is not multiplied by {@code m}. A few channels are 10-20x larger
 *       than the rest (the expansion's input reaches 30 where a typical channel stays under 2), so each input is
 *       first smoothed (SmoothQuant, Xiao et al. 2023): {@code x W = (x / s) (diag(s) W)},
 *       {@code s_c = sqrt(max|x_c| / max|W_c|)}, from channel ranges measured on calibration text
 *       ({@link Int8Calibration}). The three attention projections share one input, quantized once; the attention
 *       context is a per-head mix of the value rows, so its {@code 1 / s} is folded into the value projection's
 *       columns instead of taking a pass of its own;</li>
 *   <li>the feed-forward contraction's input (GELU outputs, at least -0.17): one u8 scale per token.</li>
 * </ul>
 *
 * <p>Because the per-tensor scales span the batch, an item's vector can move by a rounding step with its batch-mates.
 */
final class Int8Params implements BertGraph.Params {

    private static final String ATTENTION_SELF = "attention.self.";
    private static final String ATTENTION_OUTPUT = "attention.output.dense";
    /** The minimum of GELU is -0.16997, so GELU outputs plus this are non-negative. */
    private static final float GELU_SHIFT = 0.17f;
    private static final String[] DEQUANTIZE = {"BiasAdd", "Dequantize"};
    private static final String[] GELU = {"BiasAdd", "GeluExact", "Dequantize"};
    private static final String[] ADD = {"BiasAdd", "Add", "Dequantize"};

    private final Ops tf;
    private final Map<String, FloatTensor> weights;
    private final Map<String, float[]> inputRanges;
    private final BertGraph.Params floats;
    private final Map<Operand<TFloat32>, QuantizedInput> quantizedInputs = new IdentityHashMap<>();

    /** {@code inputRanges}: per linear module, the largest magnitude of each input channel (empty: no smoothing). */
    Int8Params(Ops tf, Map<String, FloatTensor> weights, Map<String, float[]> inputRanges) {
        this.tf = tf;
        this.weights = weights;
        this.inputRanges = inputRanges;
        this.floats = BertGraph.constants(tf, weights);
    }

    @Override
    public Operand<TFloat32> tensor(String name) {
        return floats.tensor(name);
    }

    @Override
    public Operand<TFloat32> dense(Ops ops, Operand<TFloat32> x, String module) {
        return isFeedForwardOutput(module) ? perToken(tf.math.add(x, tf.constant(GELU_SHIFT)), module)
                : perTensor(x, module, 1f, DEQUANTIZE, null);
    }

    /** The scale goes into the product's column scales: no pass of its own. */
    @Override
    public Operand<TFloat32> dense(Ops ops, Operand<TFloat32> x, String module, float scale) {
        return isFeedForwardOutput(module) ? BertGraph.Params.super.dense(ops, x, module, scale)
                : perTensor(x, module, scale, DEQUANTIZE, null);
    }

    /** The residual is added by the product's epilogue. */
    @Override
    public Operand<TFloat32> denseAndAdd(Ops ops, Operand<TFloat32> x, String module, Operand<TFloat32> addend) {
        return isFeedForwardOutput(module) ? BertGraph.Params.super.denseAndAdd(ops, x, module, addend)
                : perTensor(x, module, 1f, ADD, addend);
    }

    /** GELU runs in the expansion's epilogue; its outputs are quantized per token for the contraction. */
    @Override
    public Operand<TFloat32> feedForward(Ops ops, Operand<TFloat32> x, String prefix) {
        Operand<TFloat32> gelu = perTensor(x, prefix + "intermediate.dense", 1f, GELU, null);
        return perToken(tf.math.add(gelu, tf.constant(GELU_SHIFT)), prefix + "output.dense");
    }

    static boolean isFeedForwardOutput(String module) {
        return module.endsWith(".output.dense") && !module.contains(".attention.");
    }

    /**
     * {@code fusedOps(x W + b) * outputScale} ({@code + addend} for {@link #ADD}), with {@code x} quantized over the
     * whole tensor.
     */
    private Operand<TFloat32> perTensor(Operand<TFloat32> x, String module, float outputScale, String[] fusedOps,
                                        Operand<TFloat32> addend) {
        float[] smoothing = smoothing(module);
        // the value projection divides its columns by the attention output's smoothing, so its context arrives smoothed
        boolean smoothedUpstream = module.endsWith(ATTENTION_OUTPUT);
        QuantizedInput in = quantizedInputs.computeIfAbsent(x,
                input -> quantizePerTensor(input, smoothedUpstream ? null : smoothing));
        QuantizedWeight w = QuantizedWeight.of(weight(module), module, smoothing);
        float[] divisor = module.endsWith(ATTENTION_SELF + "value")
                ? smoothing(module.substring(0, module.indexOf(ATTENTION_SELF)) + ATTENTION_OUTPUT) : null;
        float[] columnFactors = new float[w.cols];
        float[] bias = weights.get(module + ".bias").data().clone();
        float[] columnSums = w.columnSums.clone();
        for (int j = 0; j < w.cols; j++) {
            columnFactors[j] = outputScale / (divisor == null ? 1f : divisor[j]);
            bias[j] *= columnFactors[j];
            columnSums[j] *= columnFactors[j];
        }
        Operand<TFloat32> shiftedBias = tf.math.add(tf.constant(bias), tf.math.mul(tf.constant(columnSums), in.min));
        return product(in.values, in.range, w, columnFactors, shiftedBias, fusedOps, addend);
    }

    /**
     * {@code (g W + b)} for GELU outputs {@code g}, given {@code shifted = g + 0.17} (non-negative): quantized with one
     * scale per row (token), which the product cannot take, so it is applied to the product's output.
     */
    private Operand<TFloat32> perToken(Operand<TFloat32> shifted, String module) {
        Operand<TFloat32> tokenMax = tf.math.maximum(tf.max(shifted, tf.constant(new int[] {1}), Max.keepDims(true)),
                tf.constant(1e-6f));
        Output<?> values = quantize(tf.math.mul(shifted, tf.math.reciprocal(tokenMax)), tf.constant(0f),
                tf.constant(1f), "SCALED");
        QuantizedWeight w = QuantizedWeight.of(weight(module), module, null);
        float[] bias = weights.get(module + ".bias").data().clone();
        for (int j = 0; j < bias.length; j++) {
            bias[j] -= GELU_SHIFT * w.columnSums[j];
        }
        Operand<TFloat32> product = product(values, tf.constant(1f), w, null, tf.constant(new float[w.cols]),
                DEQUANTIZE, null);
        return tf.nn.biasAdd(tf.math.mul(product, tokenMax), tf.constant(bias));
    }

    /**
     * {@code u8 x s8} with the input's scale {@code range / 255} and column {@code j}'s
     * {@code columnScales[j] * columnFactors[j] / 127}, then the bias and {@code fusedOps}' epilogue.
     */
    private Operand<TFloat32> product(Output<?> values, Operand<TFloat32> range, QuantizedWeight w,
                                      float[] columnFactors, Operand<TFloat32> bias, String[] fusedOps,
                                      Operand<TFloat32> addend) {
        float[] max = new float[w.cols];
        float[] min = new float[w.cols];
        for (int j = 0; j < w.cols; j++) {
            max[j] = w.columnScales[j] * (columnFactors == null ? 1f : columnFactors[j]);
            min[j] = -max[j];
        }
        List<Output<?>> device = new ArrayList<>(List.of(values, weightConstant(w), bias.asOutput()));
        List<DataType> deviceTypes = new ArrayList<>(
                List.of(DataType.DT_QUINT8, DataType.DT_QINT8, DataType.DT_FLOAT));
        if (addend != null) {
            device.add(addend.asOutput());
            deviceTypes.add(DataType.DT_FLOAT);
        }
        Operation product = tf.scope().opBuilder("_QuantizedMatMul", "Int8MatMul")
                .addInputList(device.toArray(Output<?>[]::new))
                .addInputList(new Output<?>[] {tf.constant(0f).asOutput(), range.asOutput(),
                        tf.constant(min).asOutput(), tf.constant(max).asOutput()})
                .setAttr("Tdevice_inputs", deviceTypes.toArray(DataType[]::new))
                .setAttr("Thost_inputs", new DataType[] {DataType.DT_FLOAT, DataType.DT_FLOAT, DataType.DT_FLOAT,
                        DataType.DT_FLOAT})
                .setAttr("Tdevice_outputs", new DataType[] {DataType.DT_FLOAT})
                .setAttr("Thost_outputs", new DataType[0])
                .setAttr("T1", DataType.DT_QUINT8)
                .setAttr("T2", DataType.DT_QINT8)
                .setAttr("Tbias", DataType.DT_FLOAT)
                .setAttr("Tout", DataType.DT_FLOAT)
                .setAttr("U", DataType.DT_FLOAT)
                .setAttr("fused_ops", fusedOps)
                .setAttr("input_quant_mode", "SCALED")
                .setAttr("is_bias_const", false)
                .build();
        return product.output(0);
    }

    /**
     * {@code x / s - m} as u8 over {@code [0, max - m]}, {@code m = min(x, 0)}: QuantizeV2's {@code MIN_FIRST} mode
     * subtracts the minimum itself (within one rounding step) and always includes zero in its range.
     */
    private QuantizedInput quantizePerTensor(Operand<TFloat32> x, float[] smoothing) {
        if (smoothing != null) {
            float[] inverse = new float[smoothing.length];
            for (int c = 0; c < inverse.length; c++) {
                inverse[c] = 1f / smoothing[c];
            }
            x = tf.math.mul(x, tf.constant(inverse));
        }
        Operand<TInt32> allAxes = tf.constant(new int[] {0, 1});
        Operand<TFloat32> min = tf.math.minimum(tf.min(x, allAxes), tf.constant(0f));
        // a constant input would give a zero range; oneDNN needs a positive scale
        Operand<TFloat32> max = tf.math.maximum(tf.max(x, allAxes), tf.math.add(min, tf.constant(1e-6f)));
        return new QuantizedInput(quantize(x, min, max, "MIN_FIRST"), min, tf.math.sub(max, min));
    }

    /** {@code x} over {@code [min, max]} as u8, exactly that range ({@code ensure_minimum_range} 0). */
    private Output<?> quantize(Operand<TFloat32> x, Operand<TFloat32> min, Operand<TFloat32> max, String mode) {
        return tf.scope().opBuilder("QuantizeV2", "QuantizeU8")
                .addInput(x.asOutput())
                .addInput(min.asOutput())
                .addInput(max.asOutput())
                .setAttr("T", DataType.DT_QUINT8)
                .setAttr("mode", mode)
                .setAttr("ensure_minimum_range", 0f)
                .build()
                .output(0);
    }

    /**
     * The per-channel divisor {@code s} of this module's input, or null without calibration. Modules that read the
     * same input (query, key, value) share one, from the largest weights of the three.
     */
    private float[] smoothing(String module) {
        float[] range = inputRanges.get(module);
        if (range == null) {
            return null;
        }
        String prefix = module.contains(ATTENTION_SELF)
                ? module.substring(0, module.indexOf(ATTENTION_SELF) + ATTENTION_SELF.length()) : null;
        List<String> readers = prefix == null ? List.of(module)
                : List.of(prefix + "query", prefix + "key", prefix + "value");
        float[] weightMax = new float[range.length];
        for (String reader : readers) {
            FloatTensor w = weight(reader);
            int cols = (int) w.shape()[1];
            float[] data = w.data();
            for (int i = 0; i < data.length; i++) {
                weightMax[i / cols] = Math.max(weightMax[i / cols], Math.abs(data[i]));
            }
        }
        // channels quiet on the calibration text are not amplified: they need not be quiet on other text
        float rangeFloor = median(range);
        float weightFloor = median(weightMax);
        float[] s = new float[range.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = (float) Math.sqrt(Math.max(range[c], rangeFloor) / Math.max(weightMax[c], weightFloor));
        }
        return s;
    }

    private static float median(float[] values) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return Math.max(sorted[sorted.length / 2], 1e-6f);
    }

    private FloatTensor weight(String module) {
        FloatTensor t = weights.get(module + ".weight");
        if (t == null || t.shape().length != 2) {
            throw new IllegalArgumentException("linear module " + module + " lacks a 2-d weight");
        }
        return t;
    }

    /** The int8 weights as a graph constant: TF Java has no qint8 type, so u8 bytes reinterpreted by Bitcast. */
    private Output<?> weightConstant(QuantizedWeight w) {
        Operand<TUint8> bytes = tf.constant(Shape.of(w.rows, w.cols), DataBuffers.of(w.values, true, false));
        return tf.scope().opBuilder("Bitcast", "WeightS8")
                .addInput(bytes.asOutput())
                .setAttr("type", DataType.DT_QINT8)
                .build()
                .output(0);
    }

    private record QuantizedInput(Output<?> values, Operand<TFloat32> min, Operand<TFloat32> range) {
    }

    /**
     * A weight matrix {@code [rows, cols]}, its rows multiplied by {@code s}, as int8 in [-127, 127] per column:
     * column {@code j} is {@code values[., j] * columnScales[j] / 127}; {@code columnSums} are the sums of those
     * dequantized values.
     */
    record QuantizedWeight(int rows, int cols, byte[] values, float[] columnScales, float[] columnSums) {

        /** {@code rowScale}: the smoothing {@code s} per row (input channel), or null for none. */
        static QuantizedWeight of(FloatTensor t, String module, float[] rowScale) {
            if (t.shape().length != 2) {
                throw new IllegalArgumentException("linear module " + module + " lacks a 2-d weight");
            }
            int rows = (int) t.shape()[0];
            int cols = (int) t.shape()[1];
            float[] w = t.data().clone();
            if (rowScale != null) {
                for (int i = 0; i < w.length; i++) {
                    w[i] *= rowScale[i / cols];
                }
            }
            float[] columnScales = new float[cols];
            for (int i = 0; i < w.length; i++) {
                columnScales[i % cols] = Math.max(columnScales[i % cols], Math.abs(w[i]));
            }
            for (int j = 0; j < cols; j++) {
                columnScales[j] = Math.max(columnScales[j], 1e-12f);
            }
            byte[] q = new byte[w.length];
            float[] columnSums = new float[cols];
            for (int i = 0; i < w.length; i++) {
                float step = columnScales[i % cols] / 127f;
                int v = (int) Math.max(-127, Math.min(127, Math.rint(w[i] / step)));
                q[i] = (byte) v;
                columnSums[i % cols] += v * step;
            }
            return new QuantizedWeight(rows, cols, q, columnScales, columnSums);
        }
    }
}
