package io.guardstream.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * BERT uncased WordPiece tokenizer read from a HuggingFace {@code tokenizer.json}
 * (clean text, CJK spacing, lower-casing, accent stripping, punctuation split, greedy longest-match WordPiece).
 *
 * <p>Long inputs are never cut: {@link #encodeWindows} covers the whole text with overlapping windows. A tokenizer
 * {@link #withPrefix with a prefix} puts the prefix's word pieces after {@code [CLS]} in every window (encoders such as
 * E5 expect every input to start with {@code query: }).
 * Instances are immutable and thread-safe.
 */
public final class WordPieceTokenizer {

    /** Resource path of the tokenizer JSON inside the langchain4j all-MiniLM-L6-v2 jar. */
    public static final String MINILM_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    private static final int MAX_CHARS_PER_WORD = 100;

    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    private final int unkId;
    private final int clsId;
    private final int sepId;
    private final int padId;
    private final int[] prefix;

    private WordPieceTokenizer(Map<String, Integer> vocab) {
        this(vocab, new int[0]);
    }

    private WordPieceTokenizer(Map<String, Integer> vocab, int[] prefix) {
        this.vocab = vocab;
        this.prefix = prefix;
        this.idToToken = new String[vocab.size()];
        vocab.forEach((t, id) -> idToToken[id] = t);
        this.unkId = require("[UNK]");
        this.clsId = require("[CLS]");
        this.sepId = require("[SEP]");
        this.padId = require("[PAD]");
    }

    /** Loads the tokenizer shipped in the MiniLM jar on the class path. */
    public static WordPieceTokenizer miniLm() {
        try (InputStream in = WordPieceTokenizer.class.getResourceAsStream(MINILM_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("tokenizer resource " + MINILM_RESOURCE + " not on the class path");
            }
            return fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code model.vocab} of a HuggingFace WordPiece {@code tokenizer.json}. */
    public static WordPieceTokenizer fromJson(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        JsonNode v = root.path("model").path("vocab");
        if (!v.isObject()) {
            throw new IOException("tokenizer.json has no model.vocab object");
        }
        Map<String, Integer> vocab = new HashMap<>(v.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        return new WordPieceTokenizer(vocab);
    }

    /** This tokenizer, with the word pieces of {@code text} after {@code [CLS]} in every encoding. */
    public WordPieceTokenizer withPrefix(String text) {
        return new WordPieceTokenizer(vocab, tokenize(text));
    }

    private int require(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalStateException("vocabulary lacks " + token);
        }
        return id;
    }

    public int clsId() {
        return clsId;
    }

    public int sepId() {
        return sepId;
    }

    public int padId() {
        return padId;
    }

    public int vocabSize() {
        return idToToken.length;
    }

    public String token(int id) {
        return idToToken[id];
    }

    /** WordPiece ids of {@code text} without special tokens. */
    public int[] tokenize(String text) {
        List<Token> tokens = tokenizeWithOffsets(text);
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokens.get(i).id();
        }
        return ids;
    }

    /**
     * WordPiece tokens of {@code text} with the character span of the word each piece came from
     * (offsets into the original string).
     */
    public List<Token> tokenizeWithOffsets(String text) {
        List<Token> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        int n = text.length();
        int i = 0;
        StringBuilder word = new StringBuilder();
        int wordStart = -1;
        while (i < n) {
            int cp = text.codePointAt(i);
            int len = Character.charCount(cp);
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                i += len;
                continue;
            }
            if (isWhitespace(cp)) {
                flush(word, wordStart, i, out);
                wordStart = -1;
            } else if (isPunctuation(cp) || isCjk(cp)) {
                flush(word, wordStart, i, out);
                wordStart = -1;
                String single = normalize(new String(Character.toChars(cp)));
                if (!single.isEmpty()) {
                    wordPiece(single, i, i + len, out);
                }
            } else {
                if (wordStart < 0) {
                    wordStart = i;
                }
                word.appendCodePoint(cp);
            }
            i += len;
        }
        flush(word, wordStart, n, out);
        return out;
    }

    private void flush(StringBuilder word, int start, int end, List<Token> out) {
        if (word.length() == 0) {
            return;
        }
        String normalized = normalize(word.toString());
        word.setLength(0);
        // accent stripping can expose punctuation only in exotic cases; split again to stay faithful
        int segStart = 0;
        for (int k = 0; k < normalized.length(); ) {
            int cp = normalized.codePointAt(k);
            int len = Character.charCount(cp);
            if (isPunctuation(cp)) {
                if (k > segStart) {
                    wordPiece(normalized.substring(segStart, k), start, end, out);
                }
                wordPiece(normalized.substring(k, k + len), start, end, out);
                segStart = k + len;
            }
            k += len;
        }
        if (segStart < normalized.length()) {
            wordPiece(normalized.substring(segStart), start, end, out);
        }
    }

    private static String normalize(String s) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        String nfd = Normalizer.normalize(lower, Normalizer.Form.NFD);
        StringBuilder b = new StringBuilder(nfd.length());
        for (int k = 0; k < nfd.length(); ) {
            int cp = nfd.codePointAt(k);
            if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                b.appendCodePoint(cp);
            }
            k += Character.charCount(cp);
        }
        return b.toString();
    }

    private void wordPiece(String word, int start, int end, List<Token> out) {
        if (word.codePointCount(0, word.length()) > MAX_CHARS_PER_WORD) {
            out.add(new Token(unkId, start, end));
            return;
        }
        int mark = out.size();
        int pos = 0;
        while (pos < word.length()) {
            int stop = word.length();
            Integer found = null;
            while (stop > pos) {
                String piece = pos == 0 ? word.substring(pos, stop) : "##" + word.substring(pos, stop);
                found = vocab.get(piece);
                if (found != null) {
                    break;
                }
                stop--;
            }
            if (found == null) {
                while (out.size() > mark) {
                    out.remove(out.size() - 1);
                }
                out.add(new Token(unkId, start, end));
                return;
            }
            out.add(new Token(found, start, end));
            pos = stop;
        }
    }

    /** {@code [CLS] text [SEP]}, failing rather than truncating when longer than {@code maxLength}. */
    public Encoding encode(String text, int maxLength) {
        List<Encoding> w = encodeWindows(text, maxLength, 0);
        if (w.size() != 1) {
            throw new IllegalArgumentException("text needs " + w.size() + " windows of " + maxLength + " tokens");
        }
        return w.get(0);
    }

    /**
     * Covers the whole text with windows of at most {@code maxLength} tokens ({@code [CLS]} and {@code [SEP]}
     * included) overlapping by {@code overlap} word pieces. A short text gives exactly one window.
     */
    public List<Encoding> encodeWindows(String text, int maxLength, int overlap) {
        return windows(null, tokenizeWithOffsets(text), maxLength, overlap);
    }

    /** One window of at most {@code maxLength} tokens holding the end of {@code text}: as many of its last word pieces as fit. */
    public Encoding encodeTail(String text, int maxLength) {
        List<Token> tokens = tokenizeWithOffsets(text);
        int room = maxLength - prefix.length - 2;
        if (room < 1) {
            throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room for text");
        }
        return build(null, tokens.subList(Math.max(0, tokens.size() - room), tokens.size()));
    }

    /**
     * Pair encoding {@code [CLS] a [SEP] b [SEP]} (type ids 0 then 1). When the pair does not fit, {@code a}
     * keeps at most half the budget (its tail, closest to {@code b}) and {@code b} is covered by windows.
     */
    public List<Encoding> encodePairWindows(String a, String b, int maxLength, int overlap) {
        List<Token> ta = tokenizeWithOffsets(a);
        List<Token> tb = tokenizeWithOffsets(b);
        int budget = maxLength - 3 - prefix.length;
        int keepA = Math.min(ta.size(), Math.max(budget - tb.size(), budget / 2));
        List<Token> headA = ta.subList(ta.size() - keepA, ta.size());
        return windows(headA, tb, maxLength, overlap);
    }

    private List<Encoding> windows(List<Token> first, List<Token> tokens, int maxLength, int overlap) {
        int fixed = prefix.length + (first == null ? 2 : first.size() + 3);
        int room = maxLength - fixed;
        if (room < 1) {
            throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room for text");
        }
        int step = Math.max(1, room - Math.max(0, Math.min(overlap, room - 1)));
        List<Encoding> out = new ArrayList<>();
        int start = 0;
        do {
            int end = Math.min(tokens.size(), start + room);
            out.add(build(first, tokens.subList(start, end)));
            if (end >= tokens.size()) {
                break;
            }
            start += step;
        } while (true);
        return out;
    }

    private Encoding build(List<Token> first, List<Token> second) {
        int len = prefix.length + (first == null ? 2 : first.size() + 3) + second.size();
        int[] ids = new int[len];
        int[] types = new int[len];
        int[] starts = new int[len];
        int[] ends = new int[len];
        int k = 0;
        ids[k] = clsId;
        starts[k] = -1;
        ends[k++] = -1;
        for (int id : prefix) {
            ids[k] = id;
            starts[k] = -1;
            ends[k++] = -1;
        }
        if (first != null) {
            for (Token t : first) {
                ids[k] = t.id();
                starts[k] = -1;
                ends[k++] = -1;
            }
            ids[k] = sepId;
            starts[k] = -1;
            ends[k++] = -1;
        }
        int type = first == null ? 0 : 1;
        for (Token t : second) {
            ids[k] = t.id();
            types[k] = type;
            starts[k] = t.start();
            ends[k++] = t.end();
        }
        ids[k] = sepId;
        types[k] = type;
        starts[k] = -1;
        ends[k] = -1;
        return new Encoding(ids, types, starts, ends);
    }

    private static boolean isWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int t = Character.getType(cp);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.PRIVATE_USE || t == Character.SURROGATE;
    }

    private static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        int t = Character.getType(cp);
        return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION || t == Character.START_PUNCTUATION
                || t == Character.END_PUNCTUATION || t == Character.INITIAL_QUOTE_PUNCTUATION
                || t == Character.FINAL_QUOTE_PUNCTUATION || t == Character.OTHER_PUNCTUATION;
    }

    private static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** One word piece and the character span (in the input) of the word it belongs to. */
    public record Token(int id, int start, int end) {
    }
}
