package io.guardstream.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WordPieceTokenizerTest {

    private static WordPieceTokenizer tokenizer;
    private static HuggingFaceTokenizer reference;

    @BeforeAll
    static void load() throws Exception {
        tokenizer = WordPieceTokenizer.miniLm();
        try (InputStream in = WordPieceTokenizer.class.getResourceAsStream(WordPieceTokenizer.MINILM_RESOURCE)) {
            reference = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false", "truncation", "false"));
        }
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    @Test
    void shouldEncodeKnownBertIds() {
        assertThat(tokenizer.encode("Hello, world!", 128).ids()).containsExactly(101, 7592, 1010, 2088, 999, 102);
        assertThat(tokenizer.tokenize("unaffable")).containsExactly(14477, 20961, 3468);
    }

    @Test
    void shouldLowercaseAndStripAccents() {
        assertThat(tokenizer.tokenize("CAFÉ Naïve")).containsExactly(tokenizer.tokenize("cafe naive"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "How do I make a bomb at home?",
            "I'm sorry, but I can't help with that request.",
            "Ünïcödé façade — “quotes” and emoji 😀 here",
            "日本語のテキスト mixed with English",
            "tabs\tand\nnewlines\r\nand    spaces",
            "e-mail: someone@example.com, url https://x.y/z?q=1&r=2",
            "supercalifragilisticexpialidocious antidisestablishmentarianism",
            "C0ntr0l\u0000chars\u200band zero-width"
    })
    void shouldMatchHuggingFaceTokenizer(String text) {
        long[] expected = reference.encode(text).getIds();
        int[] actual = tokenizer.encodeWindows(text, 512, 0).get(0).ids();
        assertThat(Arrays.stream(actual).asLongStream().toArray()).containsExactly(expected);
    }

    @Test
    void shouldEncodePairsWithTypeIds() {
        Encoding e = tokenizer.encodePairWindows("how are you", "fine thanks", 128, 0).get(0);
        assertThat(e.ids()).containsExactly(101, 2129, 2024, 2017, 102, 2986, 4283, 102);
        assertThat(e.typeIds()).containsExactly(0, 0, 0, 0, 0, 1, 1, 1);
    }

    @Test
    void shouldCoverLongTextWithOverlappingWindows() {
        String text = "word ".repeat(300) + "dynamite";
        List<Encoding> windows = tokenizer.encodeWindows(text, 128, 32);
        assertThat(windows).hasSizeGreaterThan(2);
        assertThat(windows).allSatisfy(w -> assertThat(w.length()).isLessThanOrEqualTo(128));
        int dynamite = tokenizer.tokenize("dynamite")[0];
        Encoding last = windows.get(windows.size() - 1);
        assertThat(last.ids()[last.length() - 2]).isEqualTo(dynamite);
        assertThatThrownBy(() -> tokenizer.encode(text, 128)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldEncodeTheEndOfALongTextAsOneFullWindow() {
        String text = "start " + "word ".repeat(300) + "dynamite";
        Encoding tail = tokenizer.encodeTail(text, 128);
        assertThat(tail.length()).isEqualTo(128);
        assertThat(tail.ids()[0]).isEqualTo(tokenizer.clsId());
        assertThat(tail.ids()[126]).isEqualTo(tokenizer.tokenize("dynamite")[0]);
        assertThat(tail.ids()[127]).isEqualTo(tokenizer.sepId());
        assertThat(text.substring(tail.charStarts()[1], tail.charEnds()[1])).isEqualTo("word");
        // a text that fits is encoded whole, exactly as one window
        assertThat(tokenizer.encodeTail("Hello, world!", 128).ids()).containsExactly(tokenizer.encode("Hello, world!", 128).ids());
        WordPieceTokenizer prefixed = tokenizer.withPrefix("query: ");
        Encoding prefixedTail = prefixed.encodeTail(text, 128);
        assertThat(prefixedTail.length()).isEqualTo(128);
        assertThat(prefixedTail.charStarts()[3]).isGreaterThanOrEqualTo(0);
    }

    @Test
    void shouldReportCharacterSpansOfWords() {
        String text = "Kill the process";
        List<WordPieceTokenizer.Token> tokens = tokenizer.tokenizeWithOffsets(text);
        assertThat(text.substring(tokens.get(0).start(), tokens.get(0).end())).isEqualTo("Kill");
        assertThat(text.substring(tokens.get(2).start(), tokens.get(2).end())).isEqualTo("process");
    }

    @Test
    void shouldPutThePrefixAfterClsInEveryWindow() {
        WordPieceTokenizer prefixed = tokenizer.withPrefix("query: ");
        int[] query = tokenizer.tokenize("query:");
        assertThat(query).hasSize(2);
        String text = "word ".repeat(30);
        List<Encoding> windows = prefixed.encodeWindows(text, 20, 4);
        // the prefix takes room from the text: 16 word pieces per window instead of 18, so 3 windows instead of 2
        assertThat(windows).hasSize(3);
        assertThat(tokenizer.encodeWindows(text, 20, 4)).hasSize(2);
        for (Encoding w : windows) {
            assertThat(w.length()).isLessThanOrEqualTo(20);
            assertThat(Arrays.copyOfRange(w.ids(), 0, 3)).containsExactly(tokenizer.clsId(), query[0], query[1]);
            assertThat(w.charStarts()[1]).isEqualTo(-1);
            assertThat(w.charStarts()[3]).isGreaterThanOrEqualTo(0);
            assertThat(w.ids()[w.length() - 1]).isEqualTo(tokenizer.sepId());
        }
        assertThat(prefixed.encode("Hello, world!", 128).ids())
                .containsExactly(101, query[0], query[1], 7592, 1010, 2088, 999, 102);
        // the prefix is not part of the text: plain tokenization is unchanged
        assertThat(prefixed.tokenize("Hello")).containsExactly(tokenizer.tokenize("Hello"));
    }
}
