package io.guardstream.model.encoder;

import io.guardstream.model.tokenizer.Encoding;
import io.guardstream.model.tokenizer.WordPieceTokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns texts into sentence vectors: every text is covered by overlapping windows, windows of similar length
 * are batched together (length buckets keep padding low), and each text gets the mean of its window vectors
 * plus the per-window vectors.
 */
public final class TextEmbedder {

    /** Vectors of one text: {@code mean} over windows and one row per window. */
    public record Embedded(float[] mean, float[][] windows, List<Encoding> encodings) {
    }

    private final BertEncoder encoder;
    private final WordPieceTokenizer tokenizer;
    private final int windowTokens;
    private final int overlapTokens;
    private final int maxBatch;

    /** Windows are tokenized by the encoder's own tokenizer ({@link BaseEncoder#tokenizer()}). */
    public TextEmbedder(BertEncoder encoder, int windowTokens, int overlapTokens, int maxBatch) {
        this.encoder = encoder;
        this.tokenizer = encoder.base().tokenizer();
        this.windowTokens = windowTokens;
        this.overlapTokens = overlapTokens;
        this.maxBatch = maxBatch;
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    public int windowTokens() {
        return windowTokens;
    }

    /** Windows of {@code text}, at most {@code maxWindows} when positive (then the text is not fully covered). */
    public List<Encoding> windows(String text, int maxWindows) {
        List<Encoding> w = tokenizer.encodeWindows(text, windowTokens, overlapTokens);
        return maxWindows > 0 && w.size() > maxWindows ? w.subList(0, maxWindows) : w;
    }

    /** Embeds every text fully. */
    public List<Embedded> embed(List<String> texts) {
        List<List<Encoding>> perText = new ArrayList<>(texts.size());
        for (String t : texts) {
            perText.add(windows(t, 0));
        }
        return embedEncodings(perText);
    }

    /** Embeds pre-built windows (one list per text), batching all windows by length. */
    public List<Embedded> embedEncodings(List<List<Encoding>> perText) {
        List<int[]> refs = new ArrayList<>();
        for (int i = 0; i < perText.size(); i++) {
            for (int j = 0; j < perText.get(i).size(); j++) {
                refs.add(new int[] {i, j});
            }
        }
        refs.sort(Comparator.comparingInt(r -> perText.get(r[0]).get(r[1]).length()));
        float[][][] vectors = new float[perText.size()][][];
        for (int i = 0; i < perText.size(); i++) {
            vectors[i] = new float[perText.get(i).size()][];
        }
        for (int s = 0; s < refs.size(); s += maxBatch) {
            List<int[]> chunk = refs.subList(s, Math.min(refs.size(), s + maxBatch));
            List<Encoding> batch = new ArrayList<>(chunk.size());
            for (int[] r : chunk) {
                batch.add(perText.get(r[0]).get(r[1]));
            }
            float[][] out = encoder.embed(batch);
            for (int k = 0; k < chunk.size(); k++) {
                vectors[chunk.get(k)[0]][chunk.get(k)[1]] = out[k];
            }
        }
        List<Embedded> result = new ArrayList<>(perText.size());
        for (int i = 0; i < perText.size(); i++) {
            result.add(new Embedded(mean(vectors[i]), vectors[i], perText.get(i)));
        }
        return result;
    }

    static float[] mean(float[][] rows) {
        float[] m = new float[BertEncoder.HIDDEN];
        if (rows.length == 0) {
            return m;
        }
        for (float[] r : rows) {
            for (int k = 0; k < m.length; k++) {
                m[k] += r[k];
            }
        }
        for (int k = 0; k < m.length; k++) {
            m[k] /= rows.length;
        }
        return m;
    }
}
