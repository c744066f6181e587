package io.guardstream.model.tokenizer;

/**
 * One model input window: token ids, segment (type) ids, and for each position the character span in the
 * source text it came from ({@code -1} for special tokens and the first segment of a pair).
 */
public record Encoding(int[] ids, int[] typeIds, int[] charStarts, int[] charEnds) {

    public int length() {
        return ids.length;
    }
}
