package io.guardstream.model.bench;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.BertEncoder;
import io.guardstream.model.encoder.Precision;
import io.guardstream.model.tokenizer.Encoding;
import io.guardstream.model.tokenizer.WordPieceTokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Throughput of the TF Java encoder against langchain4j's ONNX Runtime model on the same texts, in one JVM.
 * Run through {@code bench/model-encoder-vs-onnx.sh}. Args: {@code [texts] [batch] [threads] [encoder]}
 * ({@code minilm-l6}: ONNX Runtime runs the fp32 file; {@code e5-small-v2}: the 8-bit file, with 8-bit activations).
 */
public final class EncoderVsOnnxBench {

    private static final String[] WORDS = ("the a how to make build write explain story people help home water "
            + "computer network password bank account money weapon chemical recipe garden music history science "
            + "friend family school work travel city country government police doctor medicine health food "
            + "please step instructions detailed guide tutorial quickly safely without getting caught legal").split(" ");

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        BaseEncoder base = args.length > 3 ? BaseEncoder.parse(args[3]) : BaseEncoder.MINILM_L6;
        WordPieceTokenizer tok = base.tokenizer();
        List<String> texts = texts(n, 40, 7);
        try (BertEncoder tf = BertEncoder.load(base, threads, 1, "auto", Precision.FP32, null);
             BertEncoder tfBf16 = BertEncoder.load(base, threads, 1, "auto", Precision.BF16, null)) {
            EmbeddingModel onnx = base == BaseEncoder.E5_SMALL_V2
                    ? new E5SmallV2QuantizedEmbeddingModel() : new AllMiniLmL6V2EmbeddingModel();
            List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(base.inputPrefix() + t)).toList();
            double avgTokens = texts.stream().mapToInt(t -> tok.encodeWindows(t, 512, 0).get(0).length()).average().orElse(0);
            runTf(tf, tok, texts.subList(0, Math.min(64, n)), batch);
            runTf(tfBf16, tok, texts.subList(0, Math.min(64, n)), batch);
            onnx.embedAll(segments.subList(0, Math.min(64, n)));
            double tfRate = 0;
            double bf16Rate = 0;
            double onnxRate = 0;
            for (int round = 0; round < 2; round++) {
                long t0 = System.nanoTime();
                runTf(tf, tok, texts, batch);
                tfRate = Math.max(tfRate, n / ((System.nanoTime() - t0) / 1e9));
                t0 = System.nanoTime();
                runTf(tfBf16, tok, texts, batch);
                bf16Rate = Math.max(bf16Rate, n / ((System.nanoTime() - t0) / 1e9));
                t0 = System.nanoTime();
                onnx.embedAll(segments);
                onnxRate = Math.max(onnxRate, n / ((System.nanoTime() - t0) / 1e9));
            }
            System.out.printf("encoder=%s texts=%d avg_tokens=%.1f batch=%d threads=%d%n", base.id(), n, avgTokens,
                    batch, threads);
            // bf16 asked for resolves to fp32 on CPUs where TensorFlow does not rewrite to bfloat16 (Precision)
            String second = tfBf16.precision() == Precision.BF16 ? "bf16" : "bf16 asked, ran fp32";
            System.out.printf("tf_java fp32  %.1f texts/s%ntf_java %s  %.1f texts/s%n"
                    + "onnx_rt       %.1f texts/s (langchain4j %s.embedAll)%n",
                    tfRate, second, bf16Rate, onnxRate, onnx.getClass().getSimpleName());
            System.out.printf("ratio tf fp32/onnx = %.2f%nratio tf %s/onnx = %.2f%n", tfRate / onnxRate, second,
                    bf16Rate / onnxRate);
        }
    }

    static void runTf(BertEncoder tf, WordPieceTokenizer tok, List<String> texts, int batch) {
        for (int i = 0; i < texts.size(); i += batch) {
            List<Encoding> b = new ArrayList<>();
            for (String t : texts.subList(i, Math.min(texts.size(), i + batch))) {
                b.add(tok.encodeWindows(t, 256, 0).get(0));
            }
            tf.embed(b);
        }
    }

    /** Deterministic pseudo-sentences of about {@code words} words. */
    public static List<String> texts(int n, int words, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            int len = words - 5 + r.nextInt(10);
            for (int w = 0; w < len; w++) {
                b.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
            }
            out.add(b.append('.').toString());
        }
        return out;
    }
}
