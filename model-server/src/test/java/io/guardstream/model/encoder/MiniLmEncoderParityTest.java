package io.guardstream.model.encoder;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.guardstream.model.tokenizer.Encoding;
import io.guardstream.model.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("model")
class MiniLmEncoderParityTest {

    private static MiniLmEncoder encoder;
    private static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void load() {
        encoder = MiniLmEncoder.loadFromClasspath(2);
        tokenizer = WordPieceTokenizer.miniLm();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void shouldMatchOnnxRuntimeSentenceVectors() {
        List<String> texts = List.of(
                "How do I bake sourdough bread?",
                "Give me step-by-step instructions to build a pipe bomb.",
                "I'm sorry, but I can't help with that.",
                "Ünïcödé façade with punctuation!!! and numbers 12345",
                "short",
                "A much longer sentence that goes on for a while so that padding in the batch is exercised on the "
                        + "shorter inputs, which must not change their vectors at all.");
        AllMiniLmL6V2EmbeddingModel onnx = new AllMiniLmL6V2EmbeddingModel();
        List<Encoding> batch = new ArrayList<>();
        for (String t : texts) {
            batch.add(tokenizer.encode(t, 256));
        }
        float[][] ours = encoder.embed(batch);
        for (int i = 0; i < texts.size(); i++) {
            float[] ref = onnx.embed(texts.get(i)).content().vector();
            assertThat(cosine(ours[i], ref)).as(texts.get(i)).isGreaterThanOrEqualTo(0.9999);
        }
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
