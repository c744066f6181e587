package io.guardstream.model.heads;

/**
 * Bag of word pieces and hashed word-piece bigrams: a linear term added to the request-harm logit, so toxic
 * vocabulary the frozen sentence vector blurs still counts. Feature {@code i < vocab} is word piece {@code i};
 * bigrams hash into {@link #BUCKETS} slots after it. The term is {@code sum(weights[f]) / sqrt(n)}.
 */
public final class Lexical {

    public static final int BUCKETS = 1 << 17;

    private Lexical() {
    }

    /** Feature indices of the word-piece ids (no special tokens). */
    public static int[] features(int[] ids, int vocab) {
        if (ids.length == 0) {
            return ids;
        }
        int[] f = new int[ids.length * 2 - 1];
        int k = 0;
        for (int i = 0; i < ids.length; i++) {
            f[k++] = ids[i];
            if (i + 1 < ids.length) {
                int h = ids[i] * 0x9E3779B1 ^ (ids[i + 1] + 0x7F4A7C15) * 0x85EBCA77;
                h ^= h >>> 15;
                f[k++] = vocab + (h & (BUCKETS - 1));
            }
        }
        return f;
    }

    public static float term(float[] weights, int[] features) {
        if (weights == null || features.length == 0) {
            return 0f;
        }
        double s = 0;
        for (int f : features) {
            s += weights[f];
        }
        return (float) (s / Math.sqrt(features.length));
    }
}
