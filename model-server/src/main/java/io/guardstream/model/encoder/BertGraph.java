package io.guardstream.model.encoder;

import io.guardstream.model.onnx.OnnxInitializers.FloatTensor;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.List;
import java.util.Map;

/**
 * The pieces of a BERT sentence encoder of hidden size 384 (embeddings, post-LN transformer layers with exact GELU,
 * mean pooling) as TensorFlow ops. Where the weights come from is a {@link Params}: frozen constants for
 * serving, constants plus trainable low-rank terms for adapter training.
 */
public final class BertGraph {

    public static final int HIDDEN = 384;
    public static final int INTERMEDIATE = 1536;
    private static final int HEADS = 12;
    private static final int HEAD_DIM = HIDDEN / HEADS;
    private static final float LN_EPS = 1e-12f;
    private static final float LN_INPUT_SCALE = 100f;

    /** The linear modules of one layer, in the order adapters list them. */
    public static final List<String> LAYER_MODULES = List.of("attention.self.query", "attention.self.key",
            "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense");

    private BertGraph() {
    }

    /** Weights of the graph. */
    public interface Params {
        /** A weight used as is (embeddings, biases, layer norms). */
        Operand<TFloat32> tensor(String name);

        /** {@code x W + b} of a linear module for rows {@code x} of shape {@code [n, in]}. */
        default Operand<TFloat32> dense(Ops tf, Operand<TFloat32> x, String module) {
            return tf.nn.biasAdd(tf.linalg.matMul(x, tensor(module + ".weight")), tensor(module + ".bias"));
        }

        /** {@code (x W + b) * scale}. */
        default Operand<TFloat32> dense(Ops tf, Operand<TFloat32> x, String module, float scale) {
            return tf.math.mul(dense(tf, x, module), tf.constant(scale));
        }

        /** {@code x W + b + addend}: a linear module followed by a residual connection. */
        default Operand<TFloat32> denseAndAdd(Ops tf, Operand<TFloat32> x, String module, Operand<TFloat32> addend) {
            return tf.math.add(dense(tf, x, module), addend);
        }

        /** The feed-forward block of layer {@code prefix} ({@code encoder.layer.N.}): output(GELU(intermediate x)). */
        default Operand<TFloat32> feedForward(Ops tf, Operand<TFloat32> x, String prefix) {
            return dense(tf, gelu(tf, dense(tf, x, prefix + "intermediate.dense")), prefix + "output.dense");
        }
    }

    /** How many transformer layers {@code weights} hold ({@code encoder.layer.N.*} for N = 0, 1, ...). */
    public static int layerCount(Map<String, FloatTensor> weights) {
        int n = 0;
        while (weights.containsKey("encoder.layer." + n + ".attention.self.query.weight")) {
            n++;
        }
        if (n == 0) {
            throw new IllegalArgumentException("the weights hold no encoder layer");
        }
        return n;
    }

    /** Frozen weights: every initializer becomes a graph constant (created once per name). */
    public static Params constants(Ops tf, Map<String, FloatTensor> weights) {
        Map<String, Operand<TFloat32>> created = new java.util.HashMap<>();
        return name -> created.computeIfAbsent(name, n -> {
            FloatTensor t = weights.get(n);
            if (t == null) {
                throw new IllegalArgumentException("ONNX model lacks initializer " + n);
            }
            return tf.constant(Shape.of(t.shape()), DataBuffers.of(t.data(), true, false));
        });
    }

    /** Token + token-type + position embeddings, layer-normalized: {@code [B, T, HIDDEN]}. */
    public static Operand<TFloat32> embeddings(Ops tf, Params p, Operand<TInt32> ids, Operand<TInt32> types) {
        Operand<TInt32> seqLen = dim(tf, ids, 1);
        Operand<TInt32> positions = tf.range(tf.constant(0), seqLen, tf.constant(1));
        Operand<TFloat32> x = tf.math.add(
                tf.math.add(
                        tf.gather(p.tensor("embeddings.word_embeddings.weight"), ids, tf.constant(0)),
                        tf.gather(p.tensor("embeddings.token_type_embeddings.weight"), types, tf.constant(0))),
                tf.gather(p.tensor("embeddings.position_embeddings.weight"), positions, tf.constant(0)));
        return layerNorm(tf, x, p, "embeddings.LayerNorm");
    }

    /** Runs layers {@code from} (inclusive) to {@code to} (exclusive) over hidden states {@code [B, T, HIDDEN]}. */
    public static Operand<TFloat32> layers(Ops tf, Params p, Operand<TFloat32> x, Operand<TFloat32> mask, int from,
                                           int to) {
        // [B, 1, 1, T] additive bias: 0 for tokens, -10000 for padding
        Operand<TFloat32> maskBias = tf.math.mul(tf.math.sub(tf.constant(1f),
                tf.expandDims(tf.expandDims(mask, tf.constant(1)), tf.constant(1))), tf.constant(-10000f));
        Operand<TInt32> batch = dim(tf, x, 0);
        Operand<TInt32> seqLen = dim(tf, x, 1);
        Operand<TInt32> flat = tf.constant(new int[] {-1, HIDDEN});
        Operand<TInt32> headsShape = tf.stack(List.of(batch, seqLen, tf.constant(HEADS), tf.constant(HEAD_DIM)));
        Operand<TInt32> backShape = tf.stack(List.of(batch, seqLen, tf.constant(HIDDEN)));
        Operand<TInt32> perm = tf.constant(new int[] {0, 2, 1, 3});
        float scale = (float) (1.0 / Math.sqrt(HEAD_DIM));
        Operand<TFloat32> h = tf.reshape(x, flat);
        for (int l = from; l < to; l++) {
            String m = "encoder.layer." + l + ".";
            Operand<TFloat32> q = heads(tf, p.dense(tf, h, m + "attention.self.query", scale), headsShape,
                    perm);
            Operand<TFloat32> k = heads(tf, p.dense(tf, h, m + "attention.self.key"), headsShape, perm);
            Operand<TFloat32> v = heads(tf, p.dense(tf, h, m + "attention.self.value"), headsShape, perm);
            Operand<TFloat32> scores = batchMatMul(tf, q, k, true);
            Operand<TFloat32> probs = tf.nn.softmax(tf.math.add(scores, maskBias));
            Operand<TFloat32> ctx = tf.reshape(tf.linalg.transpose(
                    batchMatMul(tf, probs, v, false), perm), flat);
            h = layerNorm(tf, p.denseAndAdd(tf, ctx, m + "attention.output.dense", h), p,
                    m + "attention.output.LayerNorm");
            Operand<TFloat32> out = p.feedForward(tf, h, m);
            h = layerNorm(tf, tf.math.add(out, h), p, m + "output.LayerNorm");
        }
        return tf.reshape(h, backShape);
    }

    /**
     * {@code a b} (or {@code a b^T}) per leading index, as {@code BatchMatMulV2}: TensorFlow's oneDNN pass rewrites V2
     * into {@code _MklBatchMatMulV2}, while the V3 that {@code tf.train.batchMatMul} builds runs on Eigen, 4-5x slower
     * on attention's 768 small products per layer.
     */
    private static Operand<TFloat32> batchMatMul(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b, boolean adjY) {
        return tf.scope().opBuilder("BatchMatMulV2", "BatchMatMulV2")
                .addInput(a.asOutput())
                .addInput(b.asOutput())
                .setAttr("adj_x", false)
                .setAttr("adj_y", adjY)
                .build()
                .output(0);
    }

    /** Mean of the hidden states over unmasked tokens: {@code [B, HIDDEN]}. */
    public static Operand<TFloat32> meanPool(Ops tf, Operand<TFloat32> x, Operand<TFloat32> mask) {
        Operand<TFloat32> m3 = tf.expandDims(mask, tf.constant(-1));
        Operand<TFloat32> summed = tf.sum(tf.math.mul(x, m3), tf.constant(1));
        Operand<TFloat32> counts = tf.math.maximum(tf.sum(m3, tf.constant(1)), tf.constant(1e-9f));
        return tf.math.div(summed, counts);
    }

    private static Operand<TInt32> dim(Ops tf, Operand<?> x, int axis) {
        return tf.reshape(tf.gather(tf.shape(x), tf.constant(axis), tf.constant(0)), tf.constant(new int[0]));
    }

    private static Operand<TFloat32> heads(Ops tf, Operand<TFloat32> x, Operand<TInt32> headsShape,
                                           Operand<TInt32> perm) {
        return tf.linalg.transpose(tf.reshape(x, headsShape), perm);
    }

    /**
     * Exact GELU, {@code (erf(x / sqrt 2) + 1) * 0.5 * x}, with the operands in the order TensorFlow's oneDNN remapper
     * matches, so that a preceding {@code MatMul} + {@code BiasAdd} and this GELU run as one fused matrix product.
     */
    static Operand<TFloat32> gelu(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> erf = tf.math.erf(tf.math.mul(x, tf.constant((float) (1.0 / Math.sqrt(2.0)))));
        return tf.math.mul(tf.math.mul(tf.math.add(erf, tf.constant(1f)), tf.constant(0.5f)), x);
    }

    /**
     * Layer norm over the last axis, written as {@code x * m + (beta - mean * m)} with {@code m = gamma / sqrt(var +
     * eps)}, {@code SquaredDifference}, {@code AddV2} and the axis as a non-negative constant: the pattern TensorFlow's
     * remapper fuses into one {@code _MklLayerNorm} (the textbook {@code (x - mean) / sigma * gamma + beta} is not
     * matched, and stays ten elementwise ops). The fused op ignores the graph's epsilon and uses its own 0.001, which
     * against BERT's 1e-12 moved sentence vectors to cosine 0.998; layer norm is scale-invariant but for epsilon, so
     * the input is multiplied by {@link #LN_INPUT_SCALE} first, which turns 0.001 into 1e-7 at the input's scale (and
     * the graph's epsilon is scaled alike, for when the pattern is not fused).
     */
    private static Operand<TFloat32> layerNorm(Ops tf, Operand<TFloat32> x, Params p, String module) {
        Operand<TFloat32> scaled = tf.math.mul(x, tf.constant(LN_INPUT_SCALE));
        int rank = x.shape().numDimensions();
        // the fusion wants the axis as a non-negative number; with an unknown rank -1 still normalizes correctly
        Operand<TInt32> axis = tf.constant(new int[] {rank > 0 ? rank - 1 : -1});
        Operand<TFloat32> mean = tf.math.mean(scaled, axis, Mean.keepDims(true));
        Operand<TFloat32> var = tf.math.mean(tf.math.squaredDifference(scaled, mean), axis, Mean.keepDims(true));
        Operand<TFloat32> m = tf.math.mul(
                tf.math.rsqrt(addV2(tf, var, tf.constant(LN_EPS * LN_INPUT_SCALE * LN_INPUT_SCALE))),
                p.tensor(module + ".weight"));
        return addV2(tf, tf.math.mul(scaled, m), tf.math.sub(p.tensor(module + ".bias"), tf.math.mul(m, mean)));
    }

    private static Operand<TFloat32> addV2(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.scope().opBuilder("AddV2", "AddV2").addInput(a.asOutput()).addInput(b.asOutput()).build().output(0);
    }
}
