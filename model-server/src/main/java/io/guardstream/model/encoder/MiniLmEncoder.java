package io.guardstream.model.encoder;

import io.guardstream.model.onnx.OnnxInitializers;
import io.guardstream.model.onnx.OnnxInitializers.FloatTensor;
import io.guardstream.model.tokenizer.Encoding;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The BERT encoder of all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads, exact GELU, post-LN) as a TensorFlow
 * graph whose constants are the fp32 initializers of the ONNX file in the langchain4j jar.
 *
 * <p>{@link #embed} returns mean-pooled (not normalized) sentence vectors. The encoder owns its {@link Graph}
 * and {@link Session}; {@link #close()} releases both. {@code embed} may be called from several threads at once.
 */
public final class MiniLmEncoder implements AutoCloseable {

    /** Resource path of the ONNX model inside the langchain4j all-MiniLM-L6-v2 jar. */
    public static final String MINILM_ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";
    public static final int HIDDEN = 384;
    public static final int MAX_POSITIONS = 512;

    private static final int LAYERS = 6;
    private static final int HEADS = 12;
    private static final int HEAD_DIM = HIDDEN / HEADS;
    private static final float LN_EPS = 1e-12f;

    private final Graph graph;
    private final Session session;
    private final String idsName;
    private final String typesName;
    private final String maskName;
    private final String pooledName;

    private MiniLmEncoder(Map<String, FloatTensor> w, int intraOpThreads, String device) {
        this.graph = new Graph();
        Ops tf = Ops.create(graph);
        Placeholder<TInt32> ids = tf.withName("input_ids").placeholder(TInt32.class,
                Placeholder.shape(Shape.of(-1, -1)));
        Placeholder<TInt32> types = tf.withName("token_type_ids").placeholder(TInt32.class,
                Placeholder.shape(Shape.of(-1, -1)));
        Placeholder<TFloat32> mask = tf.withName("attention_mask").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, -1)));

        Operand<TInt32> dynShape = tf.shape(ids);
        Operand<TInt32> seqLen = tf.reshape(tf.gather(dynShape, tf.constant(1), tf.constant(0)), tf.constant(new int[0]));
        Operand<TInt32> positions = tf.range(tf.constant(0), seqLen, tf.constant(1));

        Operand<TFloat32> x = tf.math.add(
                tf.math.add(
                        tf.gather(constant(tf, w, "embeddings.word_embeddings.weight"), ids, tf.constant(0)),
                        tf.gather(constant(tf, w, "embeddings.token_type_embeddings.weight"), types, tf.constant(0))),
                tf.gather(constant(tf, w, "embeddings.position_embeddings.weight"), positions, tf.constant(0)));
        x = layerNorm(tf, x, w, "embeddings.LayerNorm");

        // [B, 1, 1, T] additive bias: 0 for tokens, -10000 for padding
        Operand<TFloat32> maskBias = tf.math.mul(tf.math.sub(tf.constant(1f), expandMask(tf, mask)), tf.constant(-10000f));

        Operand<TInt32> flat = tf.constant(new int[] {-1, HIDDEN});
        Operand<TInt32> batch = tf.reshape(tf.gather(dynShape, tf.constant(0), tf.constant(0)), tf.constant(new int[0]));
        Operand<TInt32> headsShape = tf.stack(List.of(batch, seqLen, tf.constant(HEADS), tf.constant(HEAD_DIM)));
        Operand<TInt32> backShape = tf.stack(List.of(batch, seqLen, tf.constant(HIDDEN)));
        Operand<TInt32> perm = tf.constant(new int[] {0, 2, 1, 3});
        Operand<TFloat32> scale = tf.constant((float) (1.0 / Math.sqrt(HEAD_DIM)));

        for (int l = 0; l < LAYERS; l++) {
            String p = "encoder.layer." + l + ".";
            Operand<TFloat32> x2 = tf.reshape(x, flat);
            Operand<TFloat32> q = split(tf, dense(tf, x2, w, p + "attention.self.query"), headsShape, perm);
            Operand<TFloat32> k = split(tf, dense(tf, x2, w, p + "attention.self.key"), headsShape, perm);
            Operand<TFloat32> v = split(tf, dense(tf, x2, w, p + "attention.self.value"), headsShape, perm);
            Operand<TFloat32> scores = tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true));
            scores = tf.math.add(tf.math.mul(scores, scale), maskBias);
            Operand<TFloat32> probs = tf.nn.softmax(scores);
            Operand<TFloat32> ctx = tf.train.batchMatMul(probs, v, TFloat32.class);
            ctx = tf.reshape(tf.linalg.transpose(ctx, perm), flat);
            Operand<TFloat32> attn = tf.reshape(dense(tf, ctx, w, p + "attention.output.dense"), backShape);
            x = layerNorm(tf, tf.math.add(attn, x), w, p + "attention.output.LayerNorm");

            Operand<TFloat32> h = dense(tf, tf.reshape(x, flat), w, p + "intermediate.dense");
            h = gelu(tf, h);
            Operand<TFloat32> out = tf.reshape(dense(tf, h, w, p + "output.dense"), backShape);
            x = layerNorm(tf, tf.math.add(out, x), w, p + "output.LayerNorm");
        }

        Operand<TFloat32> m3 = tf.expandDims(mask, tf.constant(-1));
        Operand<TFloat32> summed = tf.sum(tf.math.mul(x, m3), tf.constant(1));
        Operand<TFloat32> counts = tf.math.maximum(tf.sum(m3, tf.constant(1)), tf.constant(1e-9f));
        Operand<TFloat32> pooled = tf.withName("pooled").math.div(summed, counts);

        this.idsName = ids.op().name();
        this.typesName = types.op().name();
        this.maskName = mask.op().name();
        this.pooledName = pooled.op().name();
        ConfigProto.Builder config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(1);
        if ("cpu".equalsIgnoreCase(device)) {
            config.putDeviceCount("GPU", 0);
        }
        this.session = new Session(graph, config.build());
    }

    private static Operand<TFloat32> expandMask(Ops tf, Operand<TFloat32> mask) {
        return tf.expandDims(tf.expandDims(mask, tf.constant(1)), tf.constant(1));
    }

    /** Loads the weights from the langchain4j jar on the class path; TF places ops (GPU when present). */
    public static MiniLmEncoder loadFromClasspath(int intraOpThreads) {
        return loadFromClasspath(intraOpThreads, "auto");
    }

    /**
     * Loads the weights from the langchain4j jar on the class path. {@code device}: {@code cpu} hides GPUs from
     * the session; {@code auto} and {@code gpu} let TensorFlow place ops on a GPU when the GPU native library
     * ({@code -Pgpu}) and a CUDA device are present.
     */
    public static MiniLmEncoder loadFromClasspath(int intraOpThreads, String device) {
        try (InputStream in = MiniLmEncoder.class.getResourceAsStream(MINILM_ONNX_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("ONNX resource " + MINILM_ONNX_RESOURCE + " not on the class path");
            }
            return new MiniLmEncoder(OnnxInitializers.read(new java.io.BufferedInputStream(in, 1 << 20)), intraOpThreads, device);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds the graph from already-read ONNX initializers. */
    public static MiniLmEncoder fromInitializers(Map<String, FloatTensor> weights, int intraOpThreads) {
        return new MiniLmEncoder(weights, intraOpThreads, "auto");
    }

    /**
     * Mean-pooled vectors for a batch of windows, padded to the longest one. Returns one row of
     * {@link #HIDDEN} floats per encoding.
     */
    public float[][] embed(List<Encoding> batch) {
        int b = batch.size();
        if (b == 0) {
            return new float[0][];
        }
        int t = 0;
        for (Encoding e : batch) {
            t = Math.max(t, e.length());
        }
        if (t > MAX_POSITIONS) {
            throw new IllegalArgumentException("window of " + t + " tokens exceeds " + MAX_POSITIONS);
        }
        int[] ids = new int[b * t];
        int[] types = new int[b * t];
        float[] mask = new float[b * t];
        for (int i = 0; i < b; i++) {
            Encoding e = batch.get(i);
            System.arraycopy(e.ids(), 0, ids, i * t, e.length());
            System.arraycopy(e.typeIds(), 0, types, i * t, e.length());
            java.util.Arrays.fill(mask, i * t, i * t + e.length(), 1f);
        }
        Shape shape = Shape.of(b, t);
        float[] out = new float[b * HIDDEN];
        try (TInt32 tIds = TInt32.tensorOf(shape, DataBuffers.of(ids, true, false));
             TInt32 tTypes = TInt32.tensorOf(shape, DataBuffers.of(types, true, false));
             TFloat32 tMask = TFloat32.tensorOf(shape, DataBuffers.of(mask, true, false));
             Result r = session.runner()
                     .feed(idsName, tIds)
                     .feed(typesName, tTypes)
                     .feed(maskName, tMask)
                     .fetch(pooledName)
                     .run()) {
            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
        }
        float[][] rows = new float[b][HIDDEN];
        for (int i = 0; i < b; i++) {
            System.arraycopy(out, i * HIDDEN, rows[i], 0, HIDDEN);
        }
        return rows;
    }

    private static Operand<TFloat32> constant(Ops tf, Map<String, FloatTensor> w, String name) {
        FloatTensor t = w.get(name);
        if (t == null) {
            throw new IllegalArgumentException("ONNX model lacks initializer " + name);
        }
        return tf.constant(Shape.of(t.shape()), DataBuffers.of(t.data(), true, false));
    }

    private static Operand<TFloat32> dense(Ops tf, Operand<TFloat32> x, Map<String, FloatTensor> w, String module) {
        return tf.math.add(tf.linalg.matMul(x, constant(tf, w, module + ".weight")), constant(tf, w, module + ".bias"));
    }

    private static Operand<TFloat32> split(Ops tf, Operand<TFloat32> x, Operand<TInt32> headsShape, Operand<TInt32> perm) {
        return tf.linalg.transpose(tf.reshape(x, headsShape), perm);
    }

    private static Operand<TFloat32> gelu(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> cdf = tf.math.mul(tf.constant(0.5f),
                tf.math.add(tf.constant(1f), tf.math.erf(tf.math.mul(x, tf.constant((float) (1.0 / Math.sqrt(2.0)))))));
        return tf.math.mul(x, cdf);
    }

    private static Operand<TFloat32> layerNorm(Ops tf, Operand<TFloat32> x, Map<String, FloatTensor> w, String module) {
        Operand<TInt32> last = tf.constant(new int[] {-1});
        Operand<TFloat32> mean = tf.math.mean(x, last, Mean.keepDims(true));
        Operand<TFloat32> centered = tf.math.sub(x, mean);
        Operand<TFloat32> var = tf.math.mean(tf.math.square(centered), last, Mean.keepDims(true));
        Operand<TFloat32> norm = tf.math.mul(centered, tf.math.rsqrt(tf.math.add(var, tf.constant(LN_EPS))));
        return tf.math.add(tf.math.mul(norm, constant(tf, w, module + ".weight")), constant(tf, w, module + ".bias"));
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
