package io.guardstream.model.encoder;

import io.guardstream.model.onnx.OnnxInitializers.FloatTensor;
import io.guardstream.model.tokenizer.Encoding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A BERT sentence encoder ({@link BaseEncoder}: all-MiniLM-L6-v2 or e5-small-v2; hidden 384, 12 heads, exact GELU,
 * post-LN) as a TensorFlow graph whose constants are the initializers of the ONNX file in its langchain4j jar.
 *
 * <p>{@link #embed} returns mean-pooled (not normalized) sentence vectors. The encoder owns its {@link Graph}
 * and its {@link Session}s; {@link #close()} releases them. {@code embed} may be called from several threads at once;
 * with several sessions (each with its own thread pools and a share of the intra-op threads) that many batches run in
 * parallel, which on a CPU uses the cores better than one batch spread over all of them (~10 % more checks/s on two
 * cores, at the cost of each batch taking longer).
 */
public final class BertEncoder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BertEncoder.class);

    public static final int HIDDEN = BertGraph.HIDDEN;
    public static final int MAX_POSITIONS = 512;

    private final Graph graph;
    private final List<Session> sessions;
    private final BlockingQueue<Session> idleSessions;
    private final EncoderInputs inputs;
    private final Operand<TFloat32> pooled;
    private final Precision precision;
    private final BaseEncoder base;

    private BertEncoder(BaseEncoder base, Map<String, FloatTensor> w, int intraOpThreads, int sessionCount,
                        String device, Precision precision) {
        if (sessionCount < 1) {
            throw new IllegalArgumentException("sessions must be at least 1, not " + sessionCount);
        }
        this.base = base;
        this.graph = new Graph();
        Ops tf = Ops.create(graph);
        this.inputs = EncoderInputs.create(tf);
        // int8 products are oneDNN CPU kernels; on a GPU the float graph runs
        boolean gpu = "gpu".equalsIgnoreCase(device);
        Precision resolved = precision.resolve();
        this.precision = resolved == Precision.INT8 && gpu ? Precision.AUTO.resolve() : resolved;
        String why = this.precision != resolved ? "int8 products are CPU kernels, and device is gpu"
                : precision.unavailableHere();
        if (why != null) {
            LOG.warn("precision {} asked for, {} runs: {}", precision, this.precision, why);
        }
        BertGraph.Params params = this.precision == Precision.INT8
                ? new Int8Params(tf, w, Int8Calibration.inputRanges(w, base.tokenizer(), intraOpThreads))
                : BertGraph.constants(tf, w);
        Operand<TFloat32> x = BertGraph.layers(tf, params, BertGraph.embeddings(tf, params, inputs.ids(),
                inputs.types()), inputs.mask(), 0, BertGraph.layerCount(w));
        this.pooled = tf.withName("pooled").identity(BertGraph.meanPool(tf, x, inputs.mask()));
        ConfigProto.Builder config = this.precision.sessionConfig(
                intraOpThreads <= 0 ? 0 : Math.max(1, intraOpThreads / sessionCount));
        if (sessionCount > 1) {
            // by default every session of a process shares one thread pool, sized by the first session created
            config.setUsePerSessionThreads(true);
        }
        if ("cpu".equalsIgnoreCase(device)) {
            config.putDeviceCount("GPU", 0);
        }
        List<Session> created = new ArrayList<>();
        for (int i = 0; i < sessionCount; i++) {
            created.add(new Session(graph, config.build()));
        }
        this.sessions = List.copyOf(created);
        this.idleSessions = new ArrayBlockingQueue<>(sessionCount, false, created);
    }

    /** Loads all-MiniLM-L6-v2 from its langchain4j jar on the class path, fp32, TF placing ops. */
    public static BertEncoder loadFromClasspath(int intraOpThreads) {
        return load(BaseEncoder.MINILM_L6, intraOpThreads, 1, "auto", Precision.FP32, null);
    }

    /**
     * Loads {@code base} from its langchain4j jar on the class path, with a fine-tuned {@code adapter} (may be null)
     * merged into its weights, and {@code sessions} sessions sharing {@code intraOpThreads} between them.
     * {@code device}: {@code cpu} hides GPUs from the session; {@code auto} and {@code gpu} let TensorFlow place ops on
     * a GPU when the GPU native library ({@code -Pgpu}) and a CUDA device are present.
     */
    public static BertEncoder load(BaseEncoder base, int intraOpThreads, int sessions, String device,
                                   Precision precision, LoraAdapter adapter) {
        Map<String, FloatTensor> weights = base.readWeights();
        return new BertEncoder(base, adapter == null ? weights : adapter.mergeInto(weights), intraOpThreads,
                sessions, device, precision);
    }

    /** Builds the fp32 graph from already-read ONNX initializers of all-MiniLM-L6-v2. */
    public static BertEncoder fromInitializers(Map<String, FloatTensor> weights, int intraOpThreads) {
        return new BertEncoder(BaseEncoder.MINILM_L6, weights, intraOpThreads, 1, "auto", Precision.FP32);
    }

    /** The pretrained encoder this graph was built from. */
    public BaseEncoder base() {
        return base;
    }

    /** The precision the session runs at ({@code FP32}, {@code BF16} or {@code INT8}, never {@code AUTO}). */
    public Precision precision() {
        return precision;
    }

    /**
     * Mean-pooled vectors for a batch of windows, padded to the longest one. Returns one row of
     * {@link #HIDDEN} floats per encoding.
     */
    public float[][] embed(List<Encoding> batch) {
        int b = batch.size();
        if (b == 0) {
            return new float[0][];
        }
        PaddedBatch padded = PaddedBatch.of(batch);
        if (padded.tokens() > MAX_POSITIONS) {
            throw new IllegalArgumentException("window of " + padded.tokens() + " tokens exceeds " + MAX_POSITIONS);
        }
        float[] out = new float[b * HIDDEN];
        Session session = takeSession();
        Session.Runner runner = session.runner().fetch(pooled);
        try (EncoderInputs.Fed fed = inputs.feed(runner, padded);
             Result r = runner.run()) {
            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
        } finally {
            idleSessions.add(session);
        }
        float[][] rows = new float[b][HIDDEN];
        for (int i = 0; i < b; i++) {
            System.arraycopy(out, i * HIDDEN, rows[i], 0, HIDDEN);
        }
        return rows;
    }

    /** The number of sessions, i.e. of batches that can run at once. */
    public int sessions() {
        return sessions.size();
    }

    private Session takeSession() {
        try {
            return idleSessions.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an encoder session", e);
        }
    }

    @Override
    public void close() {
        sessions.forEach(Session::close);
        graph.close();
    }
}
