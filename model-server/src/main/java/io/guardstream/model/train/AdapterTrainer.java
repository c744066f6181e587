package io.guardstream.model.train;

import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.BertGraph;
import io.guardstream.model.encoder.LoraAdapter;
import io.guardstream.model.encoder.Precision;
import io.guardstream.model.eval.BinaryMetrics;
import io.guardstream.model.onnx.OnnxInitializers.FloatTensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Fine-tunes the encoder with low-rank adapters (LoRA) in the linear modules of its top {@code layers} layers,
 * jointly with a request head and a response head (multi-task: request harm and categories; response harm and
 * refusal). The frozen lower layers run once per text ({@link HiddenStates}); each step runs only the tuned
 * layers forward and backward, which is what makes encoder fine-tuning affordable on a CPU. The heads trained
 * here only steer the adapter: the shipped heads are trained afterwards on the adapted encoder's vectors.
 * The epoch with the best dev score (prompt-harm F1 + response-harm F1) is kept.
 */
final class AdapterTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterTrainer.class);
    private static final int HEAD_HIDDEN = 256;
    private static final int REQUEST_BATCH = 32;
    private static final int RESPONSE_BATCH = 16;
    private static final int BUCKET_BATCHES = 50;
    private static final float L2 = 1e-5f;

    /**
     * {@code base}: the encoder whose weights are tuned (its tokenizer reads the texts); {@code layers}: how many top
     * encoder layers get adapters; {@code scale} multiplies {@code A B}.
     */
    record Settings(BaseEncoder base, int layers, int rank, float scale, int epochs, float learningRate, long seed,
                    int threads, Precision precision) {
    }

    record Trained(LoraAdapter adapter, String reportJson) {
    }

    private record RequestItem(short[] text, Targets targets) {
    }

    private record ResponseItem(short[] prompt, short[] response, Targets targets) {
        int tokens() {
            return Math.max(HiddenStates.tokens(prompt), HiddenStates.tokens(response));
        }
    }

    /** One training step's items: request items, or response items. */
    private record Step(List<RequestItem> requests, List<ResponseItem> responses) {
    }

    private final Settings settings;
    private final TrainingSet policy;
    private final LoraAdapter init;

    AdapterTrainer(Settings settings, TrainingSet policy) {
        this(settings, policy, null);
    }

    /**
     * {@code init}: an adapter to continue training from (same rank and scale), or {@code null}. Its modules start
     * from their trained factors; tuned modules it lacks (an adapter grown to more layers) start fresh.
     */
    AdapterTrainer(Settings settings, TrainingSet policy, LoraAdapter init) {
        if (init != null && (init.rank() != settings.rank() || init.scale() != settings.scale())) {
            throw new IllegalArgumentException("the initial adapter has rank " + init.rank() + " and scale "
                    + init.scale() + ", not " + settings.rank() + " and " + settings.scale());
        }
        this.settings = settings;
        this.policy = policy;
        this.init = init;
    }

    Trained train(List<GuardRecord> train, List<GuardRecord> dev, Map<String, FloatTensor> weights) {
        int total = BertGraph.layerCount(weights);
        int firstTuned = total - settings.layers();
        HiddenStates states = new HiddenStates(firstTuned, settings.base().tokenizer());
        List<String> texts = textsToEncode(train, dev);
        states.ensure(texts, weights, settings.threads(), settings.precision());
        List<RequestItem> reqTrain = requestItems(train, states, policy);
        List<ResponseItem> respTrain = responseItems(train, states, policy);
        List<RequestItem> reqDev = requestItems(dev, states, null);
        List<ResponseItem> respDev = responseItems(dev, states, null);
        Targets.balance(reqTrain.stream().map(i -> i.targets().y()).toList(), reqTrain.stream().map(i -> i.targets().w()).toList());
        Targets.balance(respTrain.stream().map(i -> i.targets().y()).toList(), respTrain.stream().map(i -> i.targets().w()).toList());
        LOG.info("adapter training: {} request and {} response items; dev {} and {}; layers {}..{} rank {}",
                reqTrain.size(), respTrain.size(), reqDev.size(), respDev.size(), firstTuned,
                total - 1, settings.rank());
        try (Graph g = new Graph()) {
            Net net = new Net(g, weights, firstTuned, total);
            ConfigProto config = settings.precision().sessionConfig(settings.threads()).build();
            try (Session s = new Session(g, config)) {
                s.initialize();
                // a continued run must not replay the first run's batch order
                Random rnd = new Random(init == null ? settings.seed() : settings.seed() * 31 + init.fingerprint().hashCode());
                LoraAdapter best = null;
                double bestScore = -1;
                StringBuilder epochs = new StringBuilder();
                for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                    List<Step> steps = steps(reqTrain, respTrain, rnd);
                    long t0 = System.nanoTime();
                    double lossSum = 0;
                    int textsSeen = 0;
                    for (int i = 0; i < steps.size(); i++) {
                        lossSum += net.step(s, steps.get(i));
                        textsSeen += steps.get(i).requests().size() + 2 * steps.get(i).responses().size();
                        if ((i + 1) % 100 == 0) {
                            double secs = (System.nanoTime() - t0) / 1e9;
                            LOG.info("epoch {} step {}/{}: loss {} ({} texts/s)", epoch, i + 1, steps.size(),
                                    String.format(Locale.ROOT, "%.4f", lossSum / (i + 1)),
                                    String.format(Locale.ROOT, "%.1f", textsSeen / secs));
                        }
                    }
                    float[][] req = net.requestScores(s, reqDev);
                    float[][] resp = net.responseScores(s, respDev);
                    BinaryMetrics prompt = bestF1(req, reqDev.stream().map(RequestItem::targets).toList(), 0);
                    BinaryMetrics response = bestF1(resp, respDev.stream().map(ResponseItem::targets).toList(), 0);
                    BinaryMetrics refusal = bestF1(resp, respDev.stream().map(ResponseItem::targets).toList(), 1);
                    double score = prompt.f1() + response.f1();
                    LOG.info("epoch {}: loss {} dev prompt F1 {} response F1 {} refusal F1 {}", epoch,
                            String.format(Locale.ROOT, "%.4f", lossSum / steps.size()),
                            String.format(Locale.ROOT, "%.4f", prompt.f1()),
                            String.format(Locale.ROOT, "%.4f", response.f1()),
                            String.format(Locale.ROOT, "%.4f", refusal.f1()));
                    epochs.append(epochs.isEmpty() ? "" : ",\n").append(String.format(Locale.ROOT,
                            "    {\"epoch\": %d, \"loss\": %.4f, \"dev_prompt_harm_f1\": %.4f, "
                                    + "\"dev_response_harm_f1\": %.4f, \"dev_refusal_f1\": %.4f}",
                            epoch, lossSum / steps.size(), prompt.f1(), response.f1(), refusal.f1()));
                    if (score > bestScore) {
                        bestScore = score;
                        best = net.adapter(s);
                    }
                }
                String report = String.format(Locale.ROOT, "{\n  \"layers\": %d,\n  \"rank\": %d,\n  \"scale\": %.2f,%n"
                                + "  \"learning_rate\": %.5f,\n  \"train\": {\"request\": %d, \"response\": %d},%n"
                                + "  \"note\": \"dev figures use the first %d-token window of each text and "
                                + "best-F1 thresholds of the steering heads\",\n  \"epochs\": [\n%s\n  ]\n}\n",
                        settings.layers(), settings.rank(), settings.scale(), settings.learningRate(),
                        reqTrain.size(), respTrain.size(), HiddenStates.WINDOW_TOKENS, epochs);
                return new Trained(best, report);
            }
        }
    }

    /** Every prompt and response either task trains or evaluates on. */
    private List<String> textsToEncode(List<GuardRecord> train, List<GuardRecord> dev) {
        List<String> texts = new ArrayList<>();
        for (List<GuardRecord> set : List.of(train, dev)) {
            TrainingSet training = set == train ? policy : null;
            for (GuardRecord r : set) {
                boolean response = Targets.response(r, training) != null;
                if (response || Targets.request(r, training) != null) {
                    texts.add(r.prompt());
                }
                if (response) {
                    texts.add(r.response());
                }
            }
        }
        return texts;
    }

    private static List<RequestItem> requestItems(List<GuardRecord> records, HiddenStates states, TrainingSet training) {
        List<RequestItem> out = new ArrayList<>();
        for (GuardRecord r : records) {
            Targets t = Targets.request(r, training);
            short[] x = t == null ? null : states.get(r.prompt());
            if (x != null) {
                out.add(new RequestItem(x, t));
            }
            Targets content = Targets.responseContent(r, training);
            short[] c = content == null ? null : states.get(r.response());
            if (c != null) {
                out.add(new RequestItem(c, content));
            }
        }
        return out;
    }

    private static List<ResponseItem> responseItems(List<GuardRecord> records, HiddenStates states,
                                                    TrainingSet training) {
        List<ResponseItem> out = new ArrayList<>();
        for (GuardRecord r : records) {
            Targets t = Targets.response(r, training);
            if (t == null) {
                continue;
            }
            short[] p = states.get(r.prompt());
            short[] x = states.get(r.response());
            if (p != null && x != null) {
                out.add(new ResponseItem(p, x, t));
            }
        }
        return out;
    }

    /**
     * The steps of one epoch: items shuffled, then sorted by length inside buckets of {@link #BUCKET_BATCHES}
     * batches (little padding), batches of both tasks in shuffled order.
     */
    private static List<Step> steps(List<RequestItem> requests, List<ResponseItem> responses, Random rnd) {
        List<Step> steps = new ArrayList<>();
        for (List<RequestItem> b : bucketed(requests, REQUEST_BATCH, i -> HiddenStates.tokens(i.text()), rnd)) {
            steps.add(new Step(b, List.of()));
        }
        for (List<ResponseItem> b : bucketed(responses, RESPONSE_BATCH, ResponseItem::tokens, rnd)) {
            steps.add(new Step(List.of(), b));
        }
        Collections.shuffle(steps, rnd);
        return steps;
    }

    private static <T> List<List<T>> bucketed(List<T> items, int batch, java.util.function.ToIntFunction<T> length,
                                              Random rnd) {
        List<T> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, rnd);
        List<List<T>> batches = new ArrayList<>();
        int bucket = batch * BUCKET_BATCHES;
        for (int s = 0; s < shuffled.size(); s += bucket) {
            List<T> part = new ArrayList<>(shuffled.subList(s, Math.min(shuffled.size(), s + bucket)));
            part.sort(Comparator.comparingInt(length));
            for (int b = 0; b < part.size(); b += batch) {
                batches.add(part.subList(b, Math.min(part.size(), b + batch)));
            }
        }
        return batches;
    }

    private static BinaryMetrics bestF1(float[][] scores, List<Targets> targets, int output) {
        List<Integer> labelled = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i).w()[output] > 0) {
                labelled.add(i);
            }
        }
        float[] s = new float[labelled.size()];
        boolean[] l = new boolean[labelled.size()];
        for (int k = 0; k < s.length; k++) {
            s[k] = scores[labelled.get(k)][output];
            l[k] = targets.get(labelled.get(k)).y()[output] > 0.5f;
        }
        float t = s.length == 0 ? 0.5f : BinaryMetrics.bestF1Threshold(s, l);
        BinaryMetrics m = new BinaryMetrics();
        for (int k = 0; k < s.length; k++) {
            m.add(l[k], s[k] >= t);
        }
        return m;
    }

    /** The training graph: tuned top layers with adapters, pooled vectors, both steering heads and the loss. */
    private final class Net {
        private final Placeholder<TFloat32> hidden;
        private final Placeholder<TFloat32> mask;
        private final Placeholder<TInt32> reqIdx;
        private final Placeholder<TFloat32> reqY;
        private final Placeholder<TFloat32> reqW;
        private final Placeholder<TInt32> promptIdx;
        private final Placeholder<TInt32> respIdx;
        private final Placeholder<TFloat32> respY;
        private final Placeholder<TFloat32> respW;
        private final Operand<TFloat32> reqProbs;
        private final Operand<TFloat32> respProbs;
        private final Operand<TFloat32> loss;
        private final Op minimize;
        private final Map<String, Variable<TFloat32>[]> factors = new LinkedHashMap<>();

        @SuppressWarnings("unchecked")
        /** Adapters in layers {@code firstTuned} (inclusive) to {@code total} (exclusive). */
        Net(Graph g, Map<String, FloatTensor> weights, int firstTuned, int total) {
            Ops tf = Ops.create(g);
            Random rnd = new Random(settings.seed() * 17 + 1);
            hidden = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, BertGraph.HIDDEN)));
            mask = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
            BertGraph.Params frozen = BertGraph.constants(tf, weights);
            for (int l = firstTuned; l < total; l++) {
                for (String m : BertGraph.LAYER_MODULES) {
                    String module = "encoder.layer." + l + "." + m;
                    long[] shape = weights.get(module + ".weight").shape();
                    int in = (int) shape[0];
                    int out = (int) shape[1];
                    float[] a = new float[in * settings.rank()];
                    float bound = (float) (1.0 / Math.sqrt(in));
                    for (int k = 0; k < a.length; k++) {
                        a[k] = (rnd.nextFloat() * 2 - 1) * bound;
                    }
                    float[] b = new float[settings.rank() * out];
                    LoraAdapter.Factors start = init == null ? null : init.modules().get(module);
                    if (start != null) {
                        a = start.a();
                        b = start.b();
                    }
                    factors.put(module, new Variable[] {
                            tf.variable(tf.constant(Shape.of(in, settings.rank()), DataBuffers.of(a, true, false))),
                            tf.variable(tf.constant(Shape.of(settings.rank(), out), DataBuffers.of(b, true, false)))});
                }
            }
            Map<String, Operand<TFloat32>[]> operands = new LinkedHashMap<>(factors);
            BertGraph.Params adapted = new AdaptedParams(frozen, operands, tf.constant(settings.scale()));
            Operand<TFloat32> top = BertGraph.layers(tf, adapted, hidden, mask, firstTuned, total);
            Operand<TFloat32> pooled = BertGraph.meanPool(tf, top, mask);

            reqIdx = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            reqY = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, Targets.REQUEST_OUTPUTS)));
            reqW = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, Targets.REQUEST_OUTPUTS)));
            promptIdx = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            respIdx = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            respY = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, Targets.RESPONSE_OUTPUTS)));
            respW = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, Targets.RESPONSE_OUTPUTS)));

            List<Variable<TFloat32>> headWeights = new ArrayList<>();
            Operand<TFloat32> reqLogits = mlp(tf, tf.gather(pooled, reqIdx, tf.constant(0)), BertGraph.HIDDEN,
                    Targets.REQUEST_OUTPUTS, rnd, headWeights);
            Operand<TFloat32> p = tf.gather(pooled, promptIdx, tf.constant(0));
            Operand<TFloat32> r = tf.gather(pooled, respIdx, tf.constant(0));
            Operand<TFloat32> respIn = tf.concat(List.of(p, r, tf.math.mul(p, r)), tf.constant(1));
            Operand<TFloat32> respLogits = mlp(tf, respIn, 3 * BertGraph.HIDDEN, Targets.RESPONSE_OUTPUTS, rnd,
                    headWeights);
            reqProbs = tf.math.sigmoid(reqLogits);
            respProbs = tf.math.sigmoid(respLogits);
            Operand<TFloat32> reg = tf.constant(0f);
            for (Variable<TFloat32> w : headWeights) {
                reg = tf.math.add(reg, tf.sum(tf.math.mul(w, w), tf.constant(new int[] {0, 1}))); // Square's gradient fails on variable refs
            }
            loss = tf.math.add(tf.math.add(HeadTrainer.weightedCrossEntropy(tf, reqLogits, reqY, reqW),
                            HeadTrainer.weightedCrossEntropy(tf, respLogits, respY, respW)),
                    tf.math.mul(tf.constant(L2), reg));
            minimize = new OrderedAdam(g, settings.learningRate()).minimize(loss);
        }

        private Operand<TFloat32> mlp(Ops tf, Operand<TFloat32> x, int in, int out, Random rnd,
                                      List<Variable<TFloat32>> weights) {
            Variable<TFloat32> w1 = tf.variable(tf.constant(Shape.of(in, HEAD_HIDDEN),
                    DataBuffers.of(HeadTrainer.glorot(rnd, in, HEAD_HIDDEN), true, false)));
            Variable<TFloat32> b1 = tf.variable(tf.constant(Shape.of(HEAD_HIDDEN),
                    DataBuffers.of(new float[HEAD_HIDDEN], true, false)));
            Variable<TFloat32> w2 = tf.variable(tf.constant(Shape.of(HEAD_HIDDEN, out),
                    DataBuffers.of(HeadTrainer.glorot(rnd, HEAD_HIDDEN, out), true, false)));
            Variable<TFloat32> b2 = tf.variable(tf.constant(Shape.of(out), DataBuffers.of(new float[out], true, false)));
            weights.add(w1);
            weights.add(w2);
            Operand<TFloat32> h = tf.nn.relu(tf.math.add(tf.linalg.matMul(x, w1), b1));
            return tf.math.add(tf.linalg.matMul(h, w2), b2);
        }

        double step(Session s, Step step) {
            Batch b = new Batch(step.requests(), step.responses());
            try (Feeds f = b.feeds(true); org.tensorflow.Result r = f.feed(s.runner()).addTarget(minimize).fetch(loss).run()) {
                return ((TFloat32) r.get(0)).getFloat();
            }
        }

        float[][] requestScores(Session s, List<RequestItem> items) {
            List<float[]> out = new ArrayList<>();
            Integer[] order = sortedOrder(items.size(), i -> HiddenStates.tokens(items.get(i).text()));
            for (int start = 0; start < order.length; start += 64) {
                List<RequestItem> chunk = new ArrayList<>();
                for (int k = start; k < Math.min(order.length, start + 64); k++) {
                    chunk.add(items.get(order[k]));
                }
                out.addAll(run(s, new Batch(chunk, List.of()), reqProbs, Targets.REQUEST_OUTPUTS));
            }
            return unsort(out, order);
        }

        float[][] responseScores(Session s, List<ResponseItem> items) {
            List<float[]> out = new ArrayList<>();
            Integer[] order = sortedOrder(items.size(), i -> items.get(i).tokens());
            for (int start = 0; start < order.length; start += 32) {
                List<ResponseItem> chunk = new ArrayList<>();
                for (int k = start; k < Math.min(order.length, start + 32); k++) {
                    chunk.add(items.get(order[k]));
                }
                out.addAll(run(s, new Batch(List.of(), chunk), respProbs, Targets.RESPONSE_OUTPUTS));
            }
            return unsort(out, order);
        }

        private List<float[]> run(Session s, Batch b, Operand<TFloat32> probs, int outputs) {
            try (Feeds f = b.feeds(false); org.tensorflow.Result r = f.feed(s.runner()).fetch(probs).run()) {
                int n = b.rows();
                float[] flat = new float[n * outputs];
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(flat, false, false));
                List<float[]> rows = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    rows.add(java.util.Arrays.copyOfRange(flat, i * outputs, (i + 1) * outputs));
                }
                return rows;
            }
        }

        LoraAdapter adapter(Session s) {
            Map<String, LoraAdapter.Factors> modules = new LinkedHashMap<>();
            for (Map.Entry<String, Variable<TFloat32>[]> e : factors.entrySet()) {
                try (org.tensorflow.Result r = s.runner().fetch(e.getValue()[0]).fetch(e.getValue()[1]).run()) {
                    TFloat32 a = (TFloat32) r.get(0);
                    TFloat32 b = (TFloat32) r.get(1);
                    int in = (int) a.shape().get(0);
                    int out = (int) b.shape().get(1);
                    float[] av = new float[(int) a.size()];
                    float[] bv = new float[(int) b.size()];
                    a.copyTo(DataBuffers.of(av, false, false));
                    b.copyTo(DataBuffers.of(bv, false, false));
                    modules.put(e.getKey(), new LoraAdapter.Factors(in, out, av, bv));
                }
            }
            return new LoraAdapter(settings.rank(), settings.scale(), modules);
        }

        /** The texts of a step (requests' prompts, then each response item's prompt and response) and the indices. */
        private final class Batch {
            final List<RequestItem> requests;
            final List<ResponseItem> responses;

            Batch(List<RequestItem> requests, List<ResponseItem> responses) {
                this.requests = requests;
                this.responses = responses;
            }

            int rows() {
                return requests.isEmpty() ? responses.size() : requests.size();
            }

            Feeds feeds(boolean withLabels) {
                List<short[]> texts = new ArrayList<>();
                int[] ri = new int[requests.size()];
                for (int i = 0; i < requests.size(); i++) {
                    ri[i] = texts.size();
                    texts.add(requests.get(i).text());
                }
                int[] pi = new int[responses.size()];
                int[] xi = new int[responses.size()];
                for (int i = 0; i < responses.size(); i++) {
                    pi[i] = texts.size();
                    texts.add(responses.get(i).prompt());
                    xi[i] = texts.size();
                    texts.add(responses.get(i).response());
                }
                HiddenStates.Packed packed = HiddenStates.pack(texts);
                Feeds f = new Feeds();
                f.put(hidden, TFloat32.tensorOf(Shape.of(packed.texts(), packed.tokens(), BertGraph.HIDDEN),
                        DataBuffers.of(packed.values(), true, false)));
                f.put(mask, TFloat32.tensorOf(Shape.of(packed.texts(), packed.tokens()),
                        DataBuffers.of(packed.mask(), true, false)));
                f.put(reqIdx, TInt32.tensorOf(Shape.of(ri.length), DataBuffers.of(ri, true, false)));
                f.put(promptIdx, TInt32.tensorOf(Shape.of(pi.length), DataBuffers.of(pi, true, false)));
                f.put(respIdx, TInt32.tensorOf(Shape.of(xi.length), DataBuffers.of(xi, true, false)));
                if (withLabels) {
                    f.put(reqY, labels(requests.stream().map(i -> i.targets().y()).toList(), Targets.REQUEST_OUTPUTS));
                    f.put(reqW, labels(requests.stream().map(i -> i.targets().w()).toList(), Targets.REQUEST_OUTPUTS));
                    f.put(respY, labels(responses.stream().map(i -> i.targets().y()).toList(), Targets.RESPONSE_OUTPUTS));
                    f.put(respW, labels(responses.stream().map(i -> i.targets().w()).toList(), Targets.RESPONSE_OUTPUTS));
                }
                return f;
            }

            private TFloat32 labels(List<float[]> rows, int k) {
                float[] flat = new float[rows.size() * k];
                for (int i = 0; i < rows.size(); i++) {
                    System.arraycopy(rows.get(i), 0, flat, i * k, k);
                }
                return TFloat32.tensorOf(Shape.of(rows.size(), k), DataBuffers.of(flat, true, false));
            }
        }
    }

    /** Tensors fed to one run, closed together. */
    private static final class Feeds implements AutoCloseable {
        private final Map<Operand<?>, org.tensorflow.Tensor> tensors = new LinkedHashMap<>();

        void put(Operand<?> placeholder, org.tensorflow.Tensor t) {
            tensors.put(placeholder, t);
        }

        Session.Runner feed(Session.Runner runner) {
            tensors.forEach(runner::feed);
            return runner;
        }

        @Override
        public void close() {
            tensors.values().forEach(org.tensorflow.Tensor::close);
        }
    }

    private static Integer[] sortedOrder(int n, java.util.function.IntUnaryOperator length) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingInt(length::applyAsInt));
        return order;
    }

    private static float[][] unsort(List<float[]> sortedRows, Integer[] order) {
        float[][] out = new float[order.length][];
        for (int k = 0; k < order.length; k++) {
            out[order[k]] = sortedRows.get(k);
        }
        return out;
    }
}
