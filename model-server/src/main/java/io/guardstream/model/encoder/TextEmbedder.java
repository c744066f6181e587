package io.guardstream.model.encoder;

import io.guardstream.model.tokenizer.Encoding;
import io.guardstream.model.tokenizer.WordPieceTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Turns texts into sentence vectors: every text is covered by overlapping windows, windows of similar length
 * are batched together (length buckets keep padding low), and each text gets the mean of its window vectors
 * plus the per-window vectors, and optionally the vector of a {@link #fullTail full-length tail window}.
 */
public final class TextEmbedder {

    /**
     * Vectors of one text: {@code mean} over windows, one row per window, and {@code fullTail}, the vector of the
     * {@link #fullTail full-length tail window} when one was asked for and the text has one (else null).
     */
    public record Embedded(float[] mean, float[][] windows, List<Encoding> encodings, float[] fullTail) {
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

    /**
     * A window of full length that ends where the text ends, for texts whose last window holds less than half a
     * window: that last window starts wherever the one before it stopped, often mid-sentence, and a fragment of
     * a few dozen word pieces can score far from what the whole passage says. Null when the text has one window
     * or its last window is at least half full.
     */
    public Encoding fullTail(String text, List<Encoding> windows) {
        if (windows.size() < 2 || 2 * windows.get(windows.size() - 1).length() >= windowTokens) {
            return null;
        }
        return tokenizer.encodeTail(text, windowTokens);
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
        return embedEncodings(perText, Collections.nCopies(perText.size(), null));
    }

    /**
     * Embeds pre-built windows (one list per text) and each text's full-length tail window where {@code fullTails}
     * holds one (null entries for none). The tail windows are batched apart from the others, so asking for them
     * leaves every other window's vector exactly as it was (int8's activation scales span a batch).
     */
    public List<Embedded> embedEncodings(List<List<Encoding>> perText, List<Encoding> fullTails) {
        if (fullTails.size() != perText.size()) {
            throw new IllegalArgumentException(fullTails.size() + " tail entries for " + perText.size() + " texts");
        }
        List<Encoding> windows = new ArrayList<>();
        for (List<Encoding> w : perText) {
            windows.addAll(w);
        }
        float[][] vectors = embedAll(windows);
        List<Encoding> tails = fullTails.stream().filter(Objects::nonNull).toList();
        float[][] tailVectors = embedAll(tails);
        List<Embedded> result = new ArrayList<>(perText.size());
        int next = 0;
        int nextTail = 0;
        for (int i = 0; i < perText.size(); i++) {
            float[][] own = Arrays.copyOfRange(vectors, next, next + perText.get(i).size());
            next += own.length;
            float[] tail = fullTails.get(i) != null ? tailVectors[nextTail++] : null;
            result.add(new Embedded(mean(own), own, perText.get(i), tail));
        }
        return result;
    }

    /** Vectors of {@code encodings} in their order, run in batches of similar length. */
    private float[][] embedAll(List<Encoding> encodings) {
        Integer[] order = new Integer[encodings.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> encodings.get(i).length()));
        float[][] vectors = new float[encodings.size()][];
        for (int s = 0; s < order.length; s += maxBatch) {
            int end = Math.min(order.length, s + maxBatch);
            List<Encoding> batch = new ArrayList<>(end - s);
            for (int k = s; k < end; k++) {
                batch.add(encodings.get(order[k]));
            }
            float[][] out = encoder.embed(batch);
            for (int k = s; k < end; k++) {
                vectors[order[k]] = out[k - s];
            }
        }
        return vectors;
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
