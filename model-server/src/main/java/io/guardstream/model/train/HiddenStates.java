package io.guardstream.model.train;

import io.guardstream.model.encoder.BertGraph;
import io.guardstream.model.encoder.EncoderInputs;
import io.guardstream.model.encoder.PaddedBatch;
import io.guardstream.model.encoder.Precision;
import io.guardstream.model.onnx.OnnxInitializers.FloatTensor;
import io.guardstream.model.tokenizer.Encoding;
import io.guardstream.model.tokenizer.WordPieceTokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Token states of the frozen lower encoder layers, kept in memory so adapter training runs only the layers it
 * tunes. Each text is represented by its first window ({@link #WINDOW_TOKENS} tokens); states are stored as
 * bfloat16 (the upper half of the fp32 bits, rounded), which halves the memory and is plenty for training.
 */
final class HiddenStates {

    static final int WINDOW_TOKENS = 128;
    private static final Logger LOG = LoggerFactory.getLogger(HiddenStates.class);
    private static final int BATCH = 32;
    private static final int H = BertGraph.HIDDEN;

    private final int layers;
    private final WordPieceTokenizer tokenizer;
    private final Map<String, short[]> states = new HashMap<>();

    /** States after the first {@code layers} encoder layers. */
    HiddenStates(int layers, WordPieceTokenizer tokenizer) {
        this.layers = layers;
        this.tokenizer = tokenizer;
    }

    int layers() {
        return layers;
    }

    /** The states of {@code text} ({@code tokens * HIDDEN} bfloat16 values), or {@code null} when not computed. */
    short[] get(String text) {
        return states.get(FeatureCache.key(text));
    }

    static int tokens(short[] state) {
        return state.length / H;
    }

    /** Computes the states of every text not yet held. */
    void ensure(List<String> texts, Map<String, FloatTensor> weights, int threads, Precision precision) {
        LinkedHashSet<String> missing = new LinkedHashSet<>();
        for (String t : texts) {
            if (!states.containsKey(FeatureCache.key(t))) {
                missing.add(t);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        List<Encoding> encodings = new ArrayList<>(missing.size());
        List<String> keys = new ArrayList<>(missing.size());
        for (String t : missing) {
            encodings.add(tokenizer.encodeWindows(t, WINDOW_TOKENS, 0).get(0));
            keys.add(FeatureCache.key(t));
        }
        Integer[] order = new Integer[encodings.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> encodings.get(i).length()));
        LOG.info("computing layer-{} states of {} texts", layers, order.length);
        long t0 = System.nanoTime();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            EncoderInputs in = EncoderInputs.create(tf);
            BertGraph.Params p = BertGraph.constants(tf, weights);
            Operand<TFloat32> x = BertGraph.layers(tf, p, BertGraph.embeddings(tf, p, in.ids(), in.types()), in.mask(),
                    0, layers);
            ConfigProto config = precision.sessionConfig(threads).build();
            try (Session s = new Session(g, config)) {
                for (int start = 0; start < order.length; start += BATCH) {
                    int b = Math.min(BATCH, order.length - start);
                    List<Encoding> batch = new ArrayList<>(b);
                    for (int i = 0; i < b; i++) {
                        batch.add(encodings.get(order[start + i]));
                    }
                    PaddedBatch padded = PaddedBatch.of(batch);
                    int t = padded.tokens();
                    float[] out = new float[b * t * H];
                    Session.Runner runner = s.runner().fetch(x);
                    try (EncoderInputs.Fed fed = in.feed(runner, padded);
                         Result r = runner.run()) {
                        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
                    }
                    for (int i = 0; i < b; i++) {
                        int len = encodings.get(order[start + i]).length();
                        short[] st = new short[len * H];
                        int base = i * t * H;
                        for (int k = 0; k < st.length; k++) {
                            st[k] = toBf16(out[base + k]);
                        }
                        states.put(keys.get(order[start + i]), st);
                    }
                    if ((start / BATCH) % 200 == 0) {
                        double secs = (System.nanoTime() - t0) / 1e9;
                        LOG.info("layer states {}/{} texts, {} texts/s", start + b, order.length,
                                String.format(Locale.ROOT, "%.1f", (start + b) / secs));
                    }
                }
            }
        }
    }

    /** States of a batch of texts padded to the longest: {@code [n, tokens, HIDDEN]} values and a {@code [n, tokens]} mask. */
    record Packed(float[] values, float[] mask, int texts, int tokens) {
    }

    static Packed pack(List<short[]> texts) {
        int t = 0;
        for (short[] s : texts) {
            t = Math.max(t, tokens(s));
        }
        float[] values = new float[texts.size() * t * H];
        float[] mask = new float[texts.size() * t];
        for (int i = 0; i < texts.size(); i++) {
            short[] s = texts.get(i);
            int base = i * t * H;
            for (int k = 0; k < s.length; k++) {
                values[base + k] = fromBf16(s[k]);
            }
            java.util.Arrays.fill(mask, i * t, i * t + tokens(s), 1f);
        }
        return new Packed(values, mask, texts.size(), t);
    }

    static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    static float fromBf16(short s) {
        return Float.intBitsToFloat((s & 0xFFFF) << 16);
    }
}
