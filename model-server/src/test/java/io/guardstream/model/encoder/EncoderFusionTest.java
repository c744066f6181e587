package io.guardstream.model.encoder;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The encoder's graph is written in the op patterns TensorFlow's oneDNN passes rewrite, and they do rewrite them:
 * what the CPU actually runs is checked from the step stats, so a TensorFlow upgrade or a rewrite of
 * {@link BertGraph} that loses a fusion (each worth 10-25 % of a batch) fails here rather than only in a benchmark.
 */
@Tag("model")
class EncoderFusionTest {

    private static final java.util.Map<String, io.guardstream.model.onnx.OnnxInitializers.FloatTensor> WEIGHTS =
            MiniLmEncoder.readWeights();

    @Test
    void shouldRunAttentionLayerNormAndGeluAsOneDnnKernels() {
        assumeThat(System.getenv("TF_ENABLE_ONEDNN_OPTS")).as("oneDNN rewrites on").isNotEqualTo("0");
        Set<String> executed = executedOps(Precision.FP32);

        assertThat(executed).as("attention's batched products").contains("_MklBatchMatMulV2")
                .doesNotContain("BatchMatMulV3", "BatchMatMulV2");
        assertThat(executed).as("layer norms").contains("_MklLayerNorm").doesNotContain("SquaredDifference", "Rsqrt");
        assertThat(executed).as("dense layers with bias and GELU").contains("_MklNativeFusedMatMul")
                .doesNotContain("Erf", "MatMul", "BiasAdd");
    }

    @Test
    void shouldNormalizeTheLastAxisAlsoWhenTheGraphDoesNotKnowTheRank() {
        float[] known = pooled(Shape.of(-1, -1));
        float[] unknown = pooled(Shape.unknown());

        assertThat(unknown).containsExactly(known, org.assertj.core.data.Offset.offset(1e-4f));
    }

    private static float[] pooled(Shape placeholderShape) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TInt32> ids = tf.placeholder(TInt32.class, Placeholder.shape(placeholderShape));
            Placeholder<TInt32> types = tf.placeholder(TInt32.class, Placeholder.shape(placeholderShape));
            Placeholder<TFloat32> mask = tf.placeholder(TFloat32.class, Placeholder.shape(placeholderShape));
            BertGraph.Params p = BertGraph.constants(tf, WEIGHTS);
            Operand<TFloat32> pooled = BertGraph.meanPool(tf, BertGraph.layers(tf, p,
                    BertGraph.embeddings(tf, p, ids, types), mask, 0, BertGraph.LAYERS), mask);
            Shape shape = Shape.of(1, 4);
            try (Session s = new Session(g, Precision.FP32.sessionConfig(1).build());
                 TInt32 tIds = TInt32.tensorOf(shape, DataBuffers.of(new int[] {101, 7592, 2088, 102}, true, false));
                 TInt32 tTypes = TInt32.tensorOf(shape, DataBuffers.of(new int[4], true, false));
                 TFloat32 tMask = TFloat32.tensorOf(shape, DataBuffers.of(new float[] {1, 1, 1, 1}, true, false));
                 Result r = s.runner().feed(ids, tIds).feed(types, tTypes).feed(mask, tMask).fetch(pooled).run()) {
                float[] v = new float[BertGraph.HIDDEN];
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(v, false, false));
                return v;
            }
        }
    }

    private static Set<String> executedOps(Precision precision) {
        int batch = 2;
        int tokens = 8;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TInt32> ids = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
            Placeholder<TInt32> types = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
            Placeholder<TFloat32> mask = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
            BertGraph.Params p = BertGraph.constants(tf, WEIGHTS);
            Operand<TFloat32> pooled = BertGraph.meanPool(tf, BertGraph.layers(tf, p,
                    BertGraph.embeddings(tf, p, ids, types), mask, 0, BertGraph.LAYERS), mask);
            int[] idValues = new int[batch * tokens];
            Arrays.fill(idValues, 1000);
            float[] ones = new float[batch * tokens];
            Arrays.fill(ones, 1f);
            Shape shape = Shape.of(batch, tokens);
            try (Session s = new Session(g, precision.sessionConfig(1).build());
                 TInt32 tIds = TInt32.tensorOf(shape, DataBuffers.of(idValues, true, false));
                 TInt32 tTypes = TInt32.tensorOf(shape, DataBuffers.of(new int[batch * tokens], true, false));
                 TFloat32 tMask = TFloat32.tensorOf(shape, DataBuffers.of(ones, true, false));
                 Result r = s.runner().feed(ids, tIds).feed(types, tTypes).feed(mask, tMask).fetch(pooled)
                         .setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build())
                         .runAndFetchMetadata()) {
                Set<String> ops = new HashSet<>();
                r.getMetadata().orElseThrow().getStepStats().getDevStatsList().forEach(device ->
                        device.getNodeStatsList().forEach(node -> ops.add(opType(node.getTimelineLabel()))));
                return ops;
            }
        }
    }

    /** {@code "name = OpType(inputs)"} -> {@code OpType}. */
    private static String opType(String timelineLabel) {
        int eq = timelineLabel.indexOf("= ");
        String op = eq < 0 ? timelineLabel : timelineLabel.substring(eq + 2);
        int paren = op.indexOf('(');
        return paren < 0 ? op : op.substring(0, paren);
    }
}
