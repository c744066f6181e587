package io.guardstream.model.encoder;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import io.guardstream.model.tokenizer.Encoding;
import io.guardstream.model.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

@Tag("model")
class BertEncoderParityTest {

    private static final List<String> TEXTS = List.of(
                "How do I bake sourdough bread?",
                "Give me step-by-step instructions to build a pipe bomb.",
                "I'm sorry, but I can't help with that.",
                "Ünïcödé façade with punctuation!!! and numbers 12345",
                "short",
                "A much longer sentence that goes on for a while so that padding in the batch is exercised on the "
                        + "shorter inputs, which must not change their vectors at all.");

    /** int8 products move sentence vectors a little: against fp32, mean cosine 0.998 (min 0.991) on 320 dev prompts. */
    private static final double INT8_MIN_COSINE = 0.99;

    /**
     * ONNX Runtime runs the quantized e5 file with 8-bit activations as well (dynamic quantization); the TF graph
     * multiplies the dequantized weights in fp32, so the two differ by the activations' rounding: cosine 0.998-0.999.
     */
    private static final double E5_MIN_COSINE = 0.995;

    private static AllMiniLmL6V2EmbeddingModel onnx;
    private static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void load() {
        onnx = new AllMiniLmL6V2EmbeddingModel();
        tokenizer = WordPieceTokenizer.miniLm();
    }

    @Test
    void shouldMatchOnnxRuntimeSentenceVectors() {
        try (BertEncoder encoder = BertEncoder.loadFromClasspath(2)) {
            assertThat(encoder.precision()).isEqualTo(Precision.FP32);
            assertCosineToOnnx(encoder, 0.9999);
        }
    }

    @Test
    void shouldStayCloseToOnnxRuntimeInBfloat16() {
        assumeThat(Precision.BF16.resolve()).as("a CPU where TensorFlow rewrites to bfloat16").isEqualTo(Precision.BF16);
        try (BertEncoder bf16 = BertEncoder.load(BaseEncoder.MINILM_L6, 2, 1, "cpu", Precision.BF16, null);
             BertEncoder fp32 = BertEncoder.loadFromClasspath(2)) {
            assertThat(bf16.precision()).isEqualTo(Precision.BF16);
            float[][] rounded = assertCosineToOnnx(bf16, 0.999);
            // the mixed-precision rewrite really ran: bfloat16 products do not reproduce the fp32 vectors bit for bit
            float[][] exact = fp32.embed(batch());
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(rounded[i]).as(TEXTS.get(i)).isNotEqualTo(exact[i]);
            }
        }
    }

    @Test
    void shouldStayCloseToOnnxRuntimeWithInt8Products() {
        assumeThat(Precision.INT8.resolve()).as("a CPU with VNNI").isEqualTo(Precision.INT8);
        try (BertEncoder int8 = BertEncoder.load(BaseEncoder.MINILM_L6, 2, 1, "cpu", Precision.INT8, null);
             BertEncoder onGpu = BertEncoder.load(BaseEncoder.MINILM_L6, 2, 1, "gpu", Precision.INT8, null)) {
            assertThat(int8.precision()).isEqualTo(Precision.INT8);
            assertCosineToOnnx(int8, INT8_MIN_COSINE);
            // int8 products are CPU kernels: a GPU-placed encoder builds the float graph
            assertThat(onGpu.precision()).isEqualTo(Precision.AUTO.resolve());
        }
    }

    @Test
    void shouldGiveTheSameVectorsFromSeveralSessionsRunningAtOnce() throws Exception {
        try (BertEncoder one = BertEncoder.load(BaseEncoder.MINILM_L6, 2, 1, "cpu", Precision.FP32, null);
             BertEncoder two = BertEncoder.load(BaseEncoder.MINILM_L6, 2, 2, "cpu", Precision.FP32, null)) {
            assertThat(two.sessions()).isEqualTo(2);
            float[][] expected = one.embed(batch());
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<float[][]>> runs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    runs.add(pool.submit(() -> two.embed(batch())));
                }
                for (java.util.concurrent.Future<float[][]> run : runs) {
                    float[][] got = run.get();
                    for (int t = 0; t < TEXTS.size(); t++) {
                        assertThat(cosine(got[t], expected[t])).as(TEXTS.get(t)).isGreaterThan(0.99999);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void shouldMatchOnnxRuntimeOnE5SmallV2() {
        E5SmallV2QuantizedEmbeddingModel e5Onnx = new E5SmallV2QuantizedEmbeddingModel();
        WordPieceTokenizer e5Tokenizer = BaseEncoder.E5_SMALL_V2.tokenizer();
        List<Encoding> batch = new ArrayList<>();
        for (String t : TEXTS) {
            batch.add(e5Tokenizer.encode(t, 256));
        }
        try (BertEncoder e5 = BertEncoder.load(BaseEncoder.E5_SMALL_V2, 2, 1, "cpu", Precision.FP32, null)) {
            float[][] ours = e5.embed(batch);
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] ref = e5Onnx.embed("query: " + TEXTS.get(i)).content().vector();
                assertThat(cosine(ours[i], ref)).as(TEXTS.get(i)).isGreaterThanOrEqualTo(E5_MIN_COSINE);
                // a different model: the same text's MiniLM vector points elsewhere
                assertThat(cosine(ours[i], onnx.embed(TEXTS.get(i)).content().vector())).isLessThan(0.5);
            }
        }
    }

    private static List<Encoding> batch() {
        List<Encoding> batch = new ArrayList<>();
        for (String t : TEXTS) {
            batch.add(tokenizer.encode(t, 256));
        }
        return batch;
    }

    private static float[][] assertCosineToOnnx(BertEncoder encoder, double min) {
        float[][] ours = encoder.embed(batch());
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] ref = onnx.embed(TEXTS.get(i)).content().vector();
            double c = cosine(ours[i], ref);
            assertThat(c).as(TEXTS.get(i)).isGreaterThanOrEqualTo(min);
        }
        return ours;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
