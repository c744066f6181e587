package io.guardstream.model.heads;

import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.BertEncoder;
import io.guardstream.model.encoder.LoraAdapter;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trained guard heads over MiniLM sentence vectors and their dev-calibrated thresholds.
 *
 * <ul>
 *   <li>request head: input {@code e(prompt)}; outputs request harm, then one logit per {@link Categories#TRAINED}.</li>
 *   <li>response head: input {@code [e(prompt), e(response), e(prompt) * e(response)]}; outputs response harm
 *       and refusal.</li>
 * </ul>
 * The heads were trained on the vectors of one encoder: the pretrained {@link #encoder()}, or that encoder with the
 * {@link #adapter()} stored alongside them merged in. Immutable and thread-safe.
 */
public final class GuardHeads {

    private static final int MAGIC_V1 = 0x47534831; // "GSH1": no adapter section, MiniLM
    private static final int MAGIC_V2 = 0x47534832; // "GSH2": no encoder section, MiniLM
    private static final int MAGIC = 0x47534833; // "GSH3"

    public static final int RESPONSE_INPUT = 3 * BertEncoder.HIDDEN;

    private final Mlp request;
    private final Mlp response;
    private final float requestThreshold;
    private final float responseThreshold;
    private final float refusalThreshold;
    private final float[] categoryThresholds;
    private final String version;
    private final float[] lexical;
    private final LoraAdapter adapter;
    private final BaseEncoder encoder;

    public GuardHeads(Mlp request, Mlp response, float requestThreshold, float responseThreshold,
                      float refusalThreshold, float[] categoryThresholds, String version) {
        this(request, response, requestThreshold, responseThreshold, refusalThreshold, categoryThresholds, version, null);
    }

    /** {@code lexical}: weights of the {@link Lexical} term of the request-harm logit, or {@code null}. */
    public GuardHeads(Mlp request, Mlp response, float requestThreshold, float responseThreshold,
                      float refusalThreshold, float[] categoryThresholds, String version, float[] lexical) {
        this(request, response, requestThreshold, responseThreshold, refusalThreshold, categoryThresholds, version,
                lexical, null);
    }

    /** {@code adapter}: the encoder adapter these heads were trained with, or {@code null} for the plain encoder. */
    public GuardHeads(Mlp request, Mlp response, float requestThreshold, float responseThreshold,
                      float refusalThreshold, float[] categoryThresholds, String version, float[] lexical,
                      LoraAdapter adapter) {
        this(request, response, requestThreshold, responseThreshold, refusalThreshold, categoryThresholds, version,
                lexical, adapter, BaseEncoder.MINILM_L6);
    }

    /** {@code encoder}: the pretrained encoder whose vectors these heads score. */
    public GuardHeads(Mlp request, Mlp response, float requestThreshold, float responseThreshold,
                      float refusalThreshold, float[] categoryThresholds, String version, float[] lexical,
                      LoraAdapter adapter, BaseEncoder encoder) {
        if (request.in() != BertEncoder.HIDDEN || request.out() != 1 + Categories.TRAINED.size()) {
            throw new IllegalArgumentException("request head has the wrong shape");
        }
        if (response.in() != RESPONSE_INPUT || response.out() != 2) {
            throw new IllegalArgumentException("response head has the wrong shape");
        }
        this.request = request;
        this.response = response;
        this.requestThreshold = requestThreshold;
        this.responseThreshold = responseThreshold;
        this.refusalThreshold = refusalThreshold;
        this.categoryThresholds = categoryThresholds.clone();
        this.version = version;
        this.lexical = lexical;
        this.adapter = adapter;
        this.encoder = encoder;
    }

    /** These heads with the encoder and adapter they were trained with. */
    public GuardHeads withEncoder(BaseEncoder base, LoraAdapter encoderAdapter) {
        return new GuardHeads(request, response, requestThreshold, responseThreshold, refusalThreshold,
                categoryThresholds, version, lexical, encoderAdapter, base);
    }

    /** Request-harm probability and the trained category probabilities for a prompt vector. */
    public RequestScores scoreRequest(float[] prompt) {
        return scoreRequest(prompt, new int[0]);
    }

    /**
     * Request scores for a prompt vector and the word-piece ids of the same text (used by the lexical term
     * when the heads have one).
     */
    public RequestScores scoreRequest(float[] prompt, int[] wordPieceIds) {
        float[] p = request.logits(prompt);
        if (lexical != null) {
            p[0] += Lexical.term(lexical, Lexical.features(wordPieceIds, lexical.length - Lexical.BUCKETS));
        }
        for (int k = 0; k < p.length; k++) {
            p[k] = Mlp.sigmoid(p[k]);
        }
        Map<String, Float> cats = new LinkedHashMap<>();
        for (int k = 0; k < Categories.TRAINED.size(); k++) {
            cats.put(Categories.TRAINED.get(k), p[k + 1]);
        }
        return new RequestScores(p[0], cats);
    }

    /**
     * The response verdict's score: the response head's harm score for what the text contains, counted only as far
     * as the assistant complied. A refusal that restates the harmful request ("I can't help you track someone's
     * location without their consent") reads as harmful content to the harm output alone; the refusal output,
     * trained on the same hidden layer, knows better. Thresholds are calibrated on this score.
     */
    public static float responseHarm(float contentHarm, float refusal) {
        return contentHarm * (1f - refusal);
    }

    /** Response content-harm and refusal probabilities of a response given its prompt. */
    public ResponseScores scoreResponse(float[] prompt, float[] response) {
        float[] p = this.response.probabilities(responseInput(prompt, response));
        return new ResponseScores(p[0], p[1]);
    }

    public static float[] responseInput(float[] prompt, float[] response) {
        int h = BertEncoder.HIDDEN;
        float[] x = new float[3 * h];
        System.arraycopy(prompt, 0, x, 0, h);
        System.arraycopy(response, 0, x, h, h);
        for (int k = 0; k < h; k++) {
            x[2 * h + k] = prompt[k] * response[k];
        }
        return x;
    }

    public float requestThreshold() {
        return requestThreshold;
    }

    public float responseThreshold() {
        return responseThreshold;
    }

    public float refusalThreshold() {
        return refusalThreshold;
    }

    public float categoryThreshold(String trainedCategory) {
        return categoryThresholds[Categories.TRAINED.indexOf(trainedCategory)];
    }

    public String version() {
        return version;
    }

    public boolean hasLexical() {
        return lexical != null;
    }

    /** The encoder adapter to merge before computing the vectors these heads score, or {@code null}. */
    public LoraAdapter adapter() {
        return adapter;
    }

    /** The pretrained encoder whose vectors (with {@link #adapter()} merged in) these heads score. */
    public BaseEncoder encoder() {
        return encoder;
    }

    public record RequestScores(float harm, Map<String, Float> categories) {
    }

    public record ResponseScores(float harm, float refusal) {
    }

    public void write(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(MAGIC);
            out.writeUTF(version);
            out.writeFloat(requestThreshold);
            out.writeFloat(responseThreshold);
            out.writeFloat(refusalThreshold);
            out.writeInt(categoryThresholds.length);
            for (float t : categoryThresholds) {
                out.writeFloat(t);
            }
            request.write(out);
            response.write(out);
            out.writeInt(lexical == null ? 0 : lexical.length);
            if (lexical != null) {
                for (float f : lexical) {
                    out.writeFloat(f);
                }
            }
            out.writeBoolean(adapter != null);
            if (adapter != null) {
                adapter.write(out);
            }
            out.writeUTF(encoder.id());
        }
    }

    public static GuardHeads read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        int magic = in.readInt();
        if (magic != MAGIC && magic != MAGIC_V2 && magic != MAGIC_V1) {
            throw new IOException("not a guard heads file");
        }
        String version = in.readUTF();
        float req = in.readFloat();
        float resp = in.readFloat();
        float ref = in.readFloat();
        float[] cats = new float[in.readInt()];
        for (int k = 0; k < cats.length; k++) {
            cats[k] = in.readFloat();
        }
        Mlp request = Mlp.read(in);
        Mlp response = Mlp.read(in);
        int lex = in.readInt();
        float[] lexical = null;
        if (lex > 0) {
            lexical = new float[lex];
            for (int k = 0; k < lex; k++) {
                lexical[k] = in.readFloat();
            }
        }
        LoraAdapter adapter = magic != MAGIC_V1 && in.readBoolean() ? LoraAdapter.read(in) : null;
        BaseEncoder encoder = magic == MAGIC ? BaseEncoder.parse(in.readUTF()) : BaseEncoder.MINILM_L6;
        return new GuardHeads(request, response, req, resp, ref, cats, version, lexical, adapter, encoder);
    }

    public static GuardHeads read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /** Whether {@code file} starts like a guard heads file (any version) rather than, say, a bare adapter file. */
    public static boolean isHeadsFile(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int magic = in.readInt();
            return magic == MAGIC || magic == MAGIC_V2 || magic == MAGIC_V1;
        } catch (java.io.EOFException tooShort) {
            return false;
        }
    }

    /** Class-path location of the heads the project ships for {@code encoder}. */
    public static String shippedResource(BaseEncoder encoder) {
        return "/io/guardstream/model/guard-heads-" + encoder.id() + ".bin";
    }

    /** The shipped heads of {@link BaseEncoder#DEFAULT}, or {@code null} when the resource is absent. */
    public static GuardHeads shipped() throws IOException {
        return shipped(BaseEncoder.DEFAULT);
    }

    /** The shipped heads of {@code encoder}, or {@code null} when the resource is absent. */
    public static GuardHeads shipped(BaseEncoder encoder) throws IOException {
        try (InputStream in = GuardHeads.class.getResourceAsStream(shippedResource(encoder))) {
            return in == null ? null : read(in);
        }
    }
}
