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
import java.util.function.Function;

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
            BaseEncoder.MINILM_L6.readWeights();

    @Test
    void shouldRunAttentionLayerNormAndGeluAsOneDnnKernels() {
        assumeThat(Precision.Cpu.THIS_MACHINE.onednn()).as("oneDNN rewrites on").isTrue();
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
        PaddedBatch batch = new PaddedBatch(new int[] {101, 7592, 2088, 102}, new int[4], new float[] {1, 1, 1, 1},
                1, 4);
        return runEncoder(placeholderShape, Precision.FP32, batch, runner -> {
            try (Result r = runner.run()) {
                float[] v = new float[BertGraph.HIDDEN];
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(v, false, false));
                return v;
            }
        });
    }

    private static Set<String> executedOps(Precision precision) {
        int[] ids = new int[2 * 8];
        Arrays.fill(ids, 1000);
        float[] mask = new float[ids.length];
        Arrays.fill(mask, 1f);
        PaddedBatch batch = new PaddedBatch(ids, new int[ids.length], mask, 2, 8);
        return runEncoder(Shape.of(-1, -1), precision, batch, runner -> {
            try (Result r = runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
                    .build()).runAndFetchMetadata()) {
                Set<String> ops = new HashSet<>();
                r.getMetadata().orElseThrow().getStepStats().getDevStatsList().forEach(device ->
                        device.getNodeStatsList().forEach(node -> ops.add(opType(node.getTimelineLabel()))));
                return ops;
            }
        });
    }

    /** The encoder with inputs of {@code placeholderShape}, fed {@code batch}, fetching the pooled vectors. */
    private static <T> T runEncoder(Shape placeholderShape, Precision precision, PaddedBatch batch,
                                    Function<Session.Runner, T> run) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            EncoderInputs in = new EncoderInputs(
                    tf.placeholder(TInt32.class, Placeholder.shape(placeholderShape)),
                    tf.placeholder(TInt32.class, Placeholder.shape(placeholderShape)),
                    tf.placeholder(TFloat32.class, Placeholder.shape(placeholderShape)));
            BertGraph.Params p = BertGraph.constants(tf, WEIGHTS);
            Operand<TFloat32> pooled = BertGraph.meanPool(tf, BertGraph.layers(tf, p,
                    BertGraph.embeddings(tf, p, in.ids(), in.types()), in.mask(), 0, BertGraph.layerCount(WEIGHTS)), in.mask());
            try (Session s = new Session(g, precision.sessionConfig(1).build())) {
                Session.Runner runner = s.runner().fetch(pooled);
                try (EncoderInputs.Fed fed = in.feed(runner, batch)) {
                    return run.apply(runner);
                }
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
