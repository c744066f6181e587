package io.guardstream.model.encoder;

import io.guardstream.model.onnx.OnnxInitializers;
import io.guardstream.model.onnx.OnnxInitializers.FloatTensor;
import io.guardstream.model.tokenizer.WordPieceTokenizer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The pretrained sentence encoders the guard can be built on. Both are uncased BERT encoders (hidden 384, 12 heads,
 * the same WordPiece vocabulary) whose ONNX files come in langchain4j jars; they differ in depth and in what their
 * inputs start with.
 */
public enum BaseEncoder {

    /** all-MiniLM-L6-v2: 6 layers, fp32 weights. */
    MINILM_L6("minilm-l6", "/all-minilm-l6-v2.onnx", "/all-minilm-l6-v2-tokenizer.json", ""),

    /**
     * e5-small-v2: 12 layers, weights stored as 8-bit (ONNX Runtime's dynamic quantization) and dequantized at load.
     * E5 was trained with every input starting with {@code query: } or {@code passage: }; classification uses
     * {@code query: }.
     */
    E5_SMALL_V2("e5-small-v2", "/e5-small-v2-q.onnx", "/e5-small-v2-q-tokenizer.json", "query: ");

    /** The encoder of the guard the model server runs unless {@code model.encoder} says otherwise. */
    public static final BaseEncoder DEFAULT = E5_SMALL_V2;

    private final String id;
    private final String onnxResource;
    private final String tokenizerResource;
    private final String inputPrefix;
    /** Read on first use; a race at most reads the same file twice. */
    private volatile WordPieceTokenizer tokenizer;

    BaseEncoder(String id, String onnxResource, String tokenizerResource, String inputPrefix) {
        this.id = id;
        this.onnxResource = onnxResource;
        this.tokenizerResource = tokenizerResource;
        this.inputPrefix = inputPrefix;
    }

    /** The name used in configuration, heads files and feature caches. */
    public String id() {
        return id;
    }

    /** Text the encoder expects before every input window ({@code ""} for none). */
    public String inputPrefix() {
        return inputPrefix;
    }

    /** {@code minilm-l6} or {@code e5-small-v2} (case-insensitive). */
    public static BaseEncoder parse(String id) {
        for (BaseEncoder e : values()) {
            if (e.id.equalsIgnoreCase(id.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown encoder '" + id + "'; expected one of "
                + Arrays.stream(values()).map(BaseEncoder::id).toList());
    }

    /** The fp32 (or dequantized) initializers of the pretrained model on the class path. */
    public Map<String, FloatTensor> readWeights() {
        try (InputStream in = open(onnxResource)) {
            return OnnxInitializers.read(new BufferedInputStream(in, 1 << 20));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The encoder's WordPiece tokenizer, adding {@link #inputPrefix()} after {@code [CLS]} in every window. Read once
     * (tokenizers are immutable) and shared by the server's model, int8 calibration and training.
     */
    public WordPieceTokenizer tokenizer() {
        WordPieceTokenizer t = tokenizer;
        if (t == null) {
            try (InputStream in = open(tokenizerResource)) {
                t = WordPieceTokenizer.fromJson(in).withPrefix(inputPrefix);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            tokenizer = t;
        }
        return t;
    }

    private InputStream open(String resource) {
        InputStream in = BaseEncoder.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("resource " + resource + " of encoder " + id
                    + " is not on the class path (its langchain4j jar is missing)");
        }
        return in;
    }
}
