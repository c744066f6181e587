package io.guardstream.model.train;

import io.guardstream.model.encoder.BertEncoder;
import io.guardstream.model.eval.BinaryMetrics;
import io.guardstream.model.heads.Categories;
import io.guardstream.model.heads.GuardHeads;
import io.guardstream.model.heads.Lexical;
import io.guardstream.model.tokenizer.WordPieceTokenizer;
import org.tensorflow.types.TInt32;
import io.guardstream.model.heads.Mlp;
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
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Trains the request and response heads with TensorFlow Java: two-layer perceptrons on cached frozen-encoder
 * vectors, masked class-weighted sigmoid cross-entropy, Adam, seeded initialization and shuffling. The epoch with
 * the best dev F1 is kept and its thresholds are calibrated on dev.
 */
final class HeadTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(HeadTrainer.class);
    private static final int HIDDEN = 256;
    private static final int BATCH = 256;
    private static final float LEARNING_RATE = 1e-3f;
    private static final float L2 = 1e-5f;
    private static final float LEX_L2 = 1e-6f;

    private final long seed;
    private final int epochs;
    private final boolean lexical;
    private final WordPieceTokenizer tokenizer;
    private float[] lexicalWeights;

    record Result(GuardHeads heads, String reportJson) {
    }

    /** Inputs, labels and per-output loss weights (0 = unlabelled) of one head. */
    record Dataset(float[][] x, float[][] y, float[][] w, int[][] lex) {
        int size() {
            return x.length;
        }
    }

    private final TrainingSet policy;

    private final String encoderTag;

    /**
     * {@code encoderTag} names the encoder the vectors come from in the heads' version string; {@code tokenizer} is
     * that encoder's, whose word pieces the lexical term counts (as {@code GuardModel} does when serving).
     */
    HeadTrainer(TrainingSet policy, int epochs, boolean lexical, String encoderTag, WordPieceTokenizer tokenizer) {
        this.policy = policy;
        this.tokenizer = tokenizer;
        this.encoderTag = encoderTag;
        this.seed = policy.seed();
        this.epochs = epochs;
        this.lexical = lexical;
    }

    Result train(List<GuardRecord> train, List<GuardRecord> dev, FeatureCache f) {
        return train(train, dev, Map.of(), f);
    }

    Result train(List<GuardRecord> train, List<GuardRecord> dev, Map<String, List<GuardRecord>> benches, FeatureCache f) {
        int vocab = lexical ? tokenizer.vocabSize() : 0;
        Dataset reqTrain = requestData(train, f, policy, tokenizer, vocab);
        Dataset reqDev = requestData(dev, f, null, tokenizer, vocab);
        Dataset respTrain = responseData(train, f, policy);
        Dataset respDev = responseData(dev, f, null);
        LOG.info("request head: {} train / {} dev; response head: {} train / {} dev",
                reqTrain.size(), reqDev.size(), respTrain.size(), respDev.size());
        balance(reqTrain);
        balance(respTrain);
        Fitted request = fit("request", reqTrain, reqDev, BertEncoder.HIDDEN, 1 + Categories.TRAINED.size(),
                UnaryOperator.identity(), vocab > 0 ? vocab + Lexical.BUCKETS : 0);
        Fitted response = fit("response", respTrain, respDev, GuardHeads.RESPONSE_INPUT, 2,
                HeadTrainer::responseDecisions, 0);

        float[][] reqP = predict(request, reqDev);
        float[][] respP = responseDecisions(predict(response, respDev));
        float tReq = threshold(reqP, reqDev, 0);
        float tResp = threshold(respP, respDev, 0);
        float tRef = threshold(respP, respDev, 1);
        float[] tCat = new float[Categories.TRAINED.size()];
        for (int k = 0; k < tCat.length; k++) {
            tCat[k] = Math.max(0.3f, threshold(reqP, reqDev, k + 1));
        }
        // "rw": the response threshold is calibrated on the refusal-weighed score (GuardHeads.responseHarm)
        String version = String.format(Locale.ROOT, "%s-mlp%s-rw-data%s-seed%d", encoderTag, lexical ? "-lex" : "",
                policy.fingerprint(train), seed);
        GuardHeads heads = new GuardHeads(request.mlp(), response.mlp(), tReq, tResp, tRef, tCat, version, request.lexical());

        StringBuilder report = new StringBuilder("{\n");
        report.append(String.format(Locale.ROOT, "  \"version\": \"%s\",%n", version));
        report.append(String.format(Locale.ROOT, "  \"train\": {\"request\": %d, \"response\": %d},%n",
                reqTrain.size(), respTrain.size()));
        report.append(String.format(Locale.ROOT,
                "  \"thresholds\": {\"request\": %.2f, \"response\": %.2f, \"refusal\": %.2f},%n", tReq, tResp, tRef));
        report.append("  \"dev\": {\n");
        report.append("    \"prompt_harm\": ").append(metrics(reqP, reqDev, 0, tReq).toJson()).append(",\n");
        report.append("    \"response_harm\": ").append(metrics(respP, respDev, 0, tResp).toJson()).append(",\n");
        report.append("    \"refusal\": ").append(metrics(respP, respDev, 1, tRef).toJson());
        for (int k = 0; k < tCat.length; k++) {
            report.append(",\n    \"category:").append(Categories.TRAINED.get(k)).append("\": ")
                    .append(metrics(reqP, reqDev, k + 1, tCat[k]).toJson());
        }
        report.append("\n  }");
        Map<String, List<GuardRecord>> bySource = new java.util.TreeMap<>();
        for (GuardRecord r : dev) {
            bySource.computeIfAbsent(r.source(), k -> new ArrayList<>()).add(r);
        }
        report.append(",\n  \"dev_prompt_harm_by_source\": {");
        boolean firstSource = true;
        for (Map.Entry<String, List<GuardRecord>> e : bySource.entrySet()) {
            Dataset d = requestData(e.getValue(), f, null, tokenizer, vocab);
            if (d.size() == 0) {
                continue;
            }
            BinaryMetrics m = metrics(predict(request, d), d, 0, tReq);
            report.append(firstSource ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    \"%s\": {\"n\": %d, \"accuracy\": %.4f, \"tp\": %d, \"fp\": %d, \"tn\": %d, \"fn\": %d}",
                    e.getKey(), m.total(), (double) (m.tp() + m.tn()) / m.total(), m.tp(), m.fp(), m.tn(), m.fn()));
            firstSource = false;
        }
        report.append("\n  }");
        report.append(",\n  \"dev_response_harm_by_source\": {");
        firstSource = true;
        for (Map.Entry<String, List<GuardRecord>> e : bySource.entrySet()) {
            Dataset d = responseData(e.getValue(), f, null);
            if (d.size() == 0) {
                continue;
            }
            BinaryMetrics m = metrics(responseDecisions(predict(response, d)), d, 0, tResp);
            if (m.total() == 0) {
                continue;
            }
            report.append(firstSource ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    \"%s\": {\"n\": %d, \"tp\": %d, \"fp\": %d, \"tn\": %d, \"fn\": %d}",
                    e.getKey(), m.total(), m.tp(), m.fp(), m.tn(), m.fn()));
            firstSource = false;
        }
        report.append("\n  }");
        for (Map.Entry<String, List<GuardRecord>> b : benches.entrySet()) {
            Dataset d = requestData(b.getValue(), f, null, tokenizer, vocab);
            BinaryMetrics m = metrics(predict(request, d), d, 0, tReq);
            report.append(String.format(Locale.ROOT, ",%n  \"%s\": {\"prompt_harm\": %s, \"fpr\": %.4f}", b.getKey(),
                    m.toJson(), m.falsePositiveRate()));
            LOG.info("{} prompt_harm {} FPR {}", b.getKey(), m, String.format(Locale.ROOT, "%.4f", m.falsePositiveRate()));
        }
        report.append("\n}\n");
        return new Result(heads, report.toString());
    }

    static Dataset requestData(List<GuardRecord> records, FeatureCache f, TrainingSet training, WordPieceTokenizer tok,
                               int lexicalVocab) {
        List<int[]> lex = new ArrayList<>();
        List<float[]> x = new ArrayList<>();
        List<float[]> y = new ArrayList<>();
        List<float[]> w = new ArrayList<>();
        for (GuardRecord r : records) {
            for (boolean response : new boolean[] {false, true}) {
                Targets t = response ? Targets.responseContent(r, training) : Targets.request(r, training);
                String text = response ? r.response() : r.prompt();
                float[] v = t == null ? null : f.get(text);
                if (v == null) {
                    continue;
                }
                x.add(v);
                y.add(t.y());
                w.add(t.w());
                if (lexicalVocab > 0) {
                    lex.add(tok.tokenize(text));
                }
            }
        }
        int[][] lexFeatures = null;
        if (lexicalVocab > 0) {
            lexFeatures = new int[lex.size()][];
            for (int i = 0; i < lexFeatures.length; i++) {
                lexFeatures[i] = Lexical.features(lex.get(i), lexicalVocab);
            }
        }
        return new Dataset(x.toArray(float[][]::new), y.toArray(float[][]::new), w.toArray(float[][]::new), lexFeatures);
    }

    static Dataset responseData(List<GuardRecord> records, FeatureCache f, TrainingSet training) {
        List<float[]> x = new ArrayList<>();
        List<float[]> y = new ArrayList<>();
        List<float[]> w = new ArrayList<>();
        for (GuardRecord r : records) {
            Targets t = Targets.response(r, training);
            if (t == null) {
                continue;
            }
            float[] p = f.get(r.prompt());
            float[] s = f.get(r.response());
            if (p == null || s == null) {
                continue;
            }
            x.add(GuardHeads.responseInput(p, s));
            y.add(t.y());
            w.add(t.w());
        }
        return new Dataset(x.toArray(float[][]::new), y.toArray(float[][]::new), w.toArray(float[][]::new), null);
    }

    /** Scales loss weights so positives and negatives of every output weigh the same in total. */
    static void balance(Dataset d) {
        Targets.balance(java.util.Arrays.asList(d.y()), java.util.Arrays.asList(d.w()));
    }

    /** A trained MLP and, for the request head, its lexical weights. */
    record Fitted(Mlp mlp, float[] lexical) {
    }

    /**
     * {@code decisions} turns the head's dev probabilities into the scores its verdicts use; the epoch with the best
     * dev F1 of their first output is kept.
     */
    private Fitted fit(String name, Dataset train, Dataset dev, int in, int out, UnaryOperator<float[][]> decisions,
                       int lexSize) {
        Random rnd = new Random(seed * 31 + name.hashCode());
        float[] w1 = glorot(rnd, in, HIDDEN);
        float[] w2 = glorot(rnd, HIDDEN, out);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, in)));
            Placeholder<TFloat32> y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, out)));
            Placeholder<TFloat32> w = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, out)));
            Variable<TFloat32> vW1 = tf.variable(tf.constant(Shape.of(in, HIDDEN), DataBuffers.of(w1, true, false)));
            Variable<TFloat32> vB1 = tf.variable(tf.constant(Shape.of(HIDDEN), DataBuffers.of(new float[HIDDEN], true, false)));
            Variable<TFloat32> vW2 = tf.variable(tf.constant(Shape.of(HIDDEN, out), DataBuffers.of(w2, true, false)));
            Variable<TFloat32> vB2 = tf.variable(tf.constant(Shape.of(out), DataBuffers.of(new float[out], true, false)));
            Operand<TFloat32> h = tf.nn.relu(tf.math.add(tf.linalg.matMul(x, vW1), vB1));
            Operand<TFloat32> logits = tf.math.add(tf.linalg.matMul(h, vW2), vB2);
            Placeholder<TInt32> lexIdx = null;
            Placeholder<TFloat32> lexW = null;
            Variable<TFloat32> vLex = null;
            if (lexSize > 0) {
                lexIdx = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
                lexW = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
                vLex = tf.variable(tf.constant(Shape.of(lexSize), DataBuffers.of(new float[lexSize], true, false)));
                Operand<TFloat32> term = tf.sum(tf.math.mul(tf.gather(vLex, lexIdx, tf.constant(0)), lexW), tf.constant(1));
                float[] first = new float[out];
                first[0] = 1f;
                logits = tf.math.add(logits, tf.math.mul(tf.expandDims(term, tf.constant(1)), tf.constant(first)));
            }
            Operand<TFloat32> data = weightedCrossEntropy(tf, logits, y, w);
            Operand<TInt32> all = tf.constant(new int[] {0, 1});
            Operand<TFloat32> reg = tf.math.mul(tf.constant(L2),
                    tf.math.add(tf.sum(tf.math.mul(vW1, vW1), all), tf.sum(tf.math.mul(vW2, vW2), all)));
            if (vLex != null) {
                reg = tf.math.add(reg, tf.math.mul(tf.constant(LEX_L2), tf.sum(tf.math.mul(vLex, vLex), tf.constant(0))));
            }
            Operand<TFloat32> loss = tf.math.add(data, reg);
            Op minimize = new OrderedAdam(g, LEARNING_RATE).minimize(loss);

            try (Session s = new Session(g)) {
                s.initialize();
                Fitted best = null;
                double bestF1 = -1;
                int n = train.size();
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    shuffle(order, rnd);
                    double lossSum = 0;
                    int steps = 0;
                    for (int start = 0; start < n; start += BATCH) {
                        int b = Math.min(BATCH, n - start);
                        float[] bx = new float[b * in];
                        float[] by = new float[b * out];
                        float[] bw = new float[b * out];
                        for (int i = 0; i < b; i++) {
                            int r = order[start + i];
                            System.arraycopy(train.x()[r], 0, bx, i * in, in);
                            System.arraycopy(train.y()[r], 0, by, i * out, out);
                            System.arraycopy(train.w()[r], 0, bw, i * out, out);
                        }
                        int maxLex = 1;
                        if (lexIdx != null) {
                            for (int i = 0; i < b; i++) {
                                maxLex = Math.max(maxLex, train.lex()[order[start + i]].length);
                            }
                        }
                        int[] li = new int[b * maxLex];
                        float[] lw = new float[b * maxLex];
                        if (lexIdx != null) {
                            for (int i = 0; i < b; i++) {
                                int[] feats = train.lex()[order[start + i]];
                                float norm = feats.length == 0 ? 0f : (float) (1.0 / Math.sqrt(feats.length));
                                for (int j = 0; j < feats.length; j++) {
                                    li[i * maxLex + j] = feats[j];
                                    lw[i * maxLex + j] = norm;
                                }
                            }
                        }
                        try (TFloat32 tx = TFloat32.tensorOf(Shape.of(b, in), DataBuffers.of(bx, true, false));
                             TFloat32 ty = TFloat32.tensorOf(Shape.of(b, out), DataBuffers.of(by, true, false));
                             TFloat32 tw = TFloat32.tensorOf(Shape.of(b, out), DataBuffers.of(bw, true, false));
                             TInt32 tli = TInt32.tensorOf(Shape.of(b, maxLex), DataBuffers.of(li, true, false));
                             TFloat32 tlw = TFloat32.tensorOf(Shape.of(b, maxLex), DataBuffers.of(lw, true, false))) {
                            Session.Runner runner = s.runner().feed(x, tx).feed(y, ty).feed(w, tw);
                            if (lexIdx != null) {
                                runner.feed(lexIdx, tli).feed(lexW, tlw);
                            }
                            try (org.tensorflow.Result r = runner.addTarget(minimize).fetch(loss).run()) {
                                lossSum += ((TFloat32) r.get(0)).getFloat();
                                steps++;
                            }
                        }
                    }
                    float[] lexWeights = null;
                    if (vLex != null) {
                        lexWeights = new float[lexSize];
                        try (org.tensorflow.Result r = s.runner().fetch(vLex).run()) {
                            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(lexWeights, false, false));
                        }
                    }
                    Fitted current = new Fitted(snapshot(s, vW1, vB1, vW2, vB2, in, out), lexWeights);
                    float[][] p = decisions.apply(predict(current, dev));
                    float t = threshold(p, dev, 0);
                    double f1 = metrics(p, dev, 0, t).f1();
                    LOG.info("{} head epoch {}: loss {} dev F1 {} (t={})", name, epoch,
                            String.format(Locale.ROOT, "%.4f", lossSum / steps), String.format(Locale.ROOT, "%.4f", f1), t);
                    if (f1 > bestF1) {
                        bestF1 = f1;
                        best = current;
                    }
                }
                return best;
            }
        }
    }

    /**
     * Masked, weighted sigmoid cross-entropy over {@code [n, k]} logits, in its numerically stable form
     * {@code max(z,0) - z y + log(1 + exp(-|z|))}, divided by the total weight (at least 1).
     */
    static Operand<TFloat32> weightedCrossEntropy(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> y,
                                                  Operand<TFloat32> w) {
        Operand<TFloat32> ce = tf.math.add(tf.math.sub(tf.math.maximum(logits, tf.constant(0f)), tf.math.mul(logits, y)),
                tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
        Operand<TInt32> all = tf.constant(new int[] {0, 1});
        return tf.math.div(tf.sum(tf.math.mul(ce, w), all), tf.math.maximum(tf.sum(w, all), tf.constant(1f)));
    }

    private static Mlp snapshot(Session s, Variable<TFloat32> w1, Variable<TFloat32> b1, Variable<TFloat32> w2,
                                Variable<TFloat32> b2, int in, int out) {
        try (org.tensorflow.Result r = s.runner().fetch(w1).fetch(b1).fetch(w2).fetch(b2).run()) {
            float[] a = new float[in * HIDDEN];
            float[] b = new float[HIDDEN];
            float[] c = new float[HIDDEN * out];
            float[] d = new float[out];
            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(a, false, false));
            ((TFloat32) r.get(1)).copyTo(DataBuffers.of(b, false, false));
            ((TFloat32) r.get(2)).copyTo(DataBuffers.of(c, false, false));
            ((TFloat32) r.get(3)).copyTo(DataBuffers.of(d, false, false));
            return new Mlp(in, HIDDEN, out, a, b, c, d);
        }
    }

    static float[][] predict(Fitted m, Dataset d) {
        float[][] p = new float[d.size()][];
        for (int i = 0; i < d.size(); i++) {
            float[] l = m.mlp().logits(d.x()[i]);
            if (m.lexical() != null) {
                l[0] += Lexical.term(m.lexical(), d.lex()[i]);
            }
            for (int k = 0; k < l.length; k++) {
                l[k] = Mlp.sigmoid(l[k]);
            }
            p[i] = l;
        }
        return p;
    }

    /** The response head's probabilities with the harm output replaced by the verdict's score (refusal unchanged). */
    static float[][] responseDecisions(float[][] p) {
        float[][] d = new float[p.length][];
        for (int i = 0; i < p.length; i++) {
            d[i] = p[i].clone();
            d[i][0] = GuardHeads.responseHarm(p[i][0], p[i][1]);
        }
        return d;
    }

    static float threshold(float[][] p, Dataset d, int k) {
        List<Float> s = new ArrayList<>();
        List<Boolean> l = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            if (d.w()[i][k] > 0) {
                s.add(p[i][k]);
                l.add(d.y()[i][k] > 0.5f);
            }
        }
        float[] sa = new float[s.size()];
        boolean[] la = new boolean[s.size()];
        for (int i = 0; i < sa.length; i++) {
            sa[i] = s.get(i);
            la[i] = l.get(i);
        }
        return sa.length == 0 ? 0.5f : BinaryMetrics.bestF1Threshold(sa, la);
    }

    static BinaryMetrics metrics(float[][] p, Dataset d, int k, float t) {
        BinaryMetrics m = new BinaryMetrics();
        for (int i = 0; i < d.size(); i++) {
            if (d.w()[i][k] > 0) {
                m.add(d.y()[i][k] > 0.5f, p[i][k] >= t);
            }
        }
        return m;
    }

    /** Glorot-uniform initial weights {@code [in, out]}. */
    static float[] glorot(Random rnd, int in, int out) {
        float limit = (float) Math.sqrt(6.0 / (in + out));
        float[] w = new float[in * out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (rnd.nextFloat() * 2 - 1) * limit;
        }
        return w;
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
