package io.guardstream.model.encoder;

import io.guardstream.model.tokenizer.Encoding;

import java.util.Arrays;
import java.util.List;

/** Encodings padded to the longest one: row-major {@code [texts, tokens]} ids, type ids and attention mask. */
public record PaddedBatch(int[] ids, int[] types, float[] mask, int texts, int tokens) {

    public static PaddedBatch of(List<Encoding> batch) {
        int b = batch.size();
        int t = 0;
        for (Encoding e : batch) {
            t = Math.max(t, e.length());
        }
        int[] ids = new int[b * t];
        int[] types = new int[b * t];
        float[] mask = new float[b * t];
        for (int i = 0; i < b; i++) {
            Encoding e = batch.get(i);
            System.arraycopy(e.ids(), 0, ids, i * t, e.length());
            System.arraycopy(e.typeIds(), 0, types, i * t, e.length());
            Arrays.fill(mask, i * t, i * t + e.length(), 1f);
        }
        return new PaddedBatch(ids, types, mask, b, t);
    }
}
