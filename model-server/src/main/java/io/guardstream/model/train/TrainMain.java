package io.guardstream.model.train;

import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.BertEncoder;
import io.guardstream.model.encoder.LoraAdapter;
import io.guardstream.model.encoder.Precision;
import io.guardstream.model.encoder.TextEmbedder;
import io.guardstream.model.heads.GuardHeads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Trains the guard: optionally low-rank adapters in the encoder's top layers first ({@link AdapterTrainer}), then
 * the heads on the (adapted) encoder's sentence vectors ({@link HeadTrainer}).
 *
 * <pre>
 * TrainMain --train guard-train.jsonl --dev guard-dev.jsonl --out DIR
 *           [--seed 13] [--cap 2500] [--epochs 40] [--threads N] [--cache FILE] [--extract-only] [--lexical]
 *           [--offensive-weight 0] [--source-weight SOURCE=W ...] [--response-as-content 0]
 *           [--bench dev-benchmarks/x.jsonl ...] [--adapter-layers 0] [--adapter-rank 8] [--adapter-epochs 2]
 *           [--adapter-cap N] [--adapter-lr 5e-4]
 *           [--adapter FILE[,FILE...]] [--adapter-init FILE] [--precision auto|fp32|bf16|int8] [--encoder minilm-l6|e5-small-v2]
 * </pre>
 *
 * Writes {@code DIR/guard-heads.bin} (weights, calibrated thresholds and the encoder adapter) and
 * {@code DIR/guard-heads-report.json} (dev figures, and prompt-harm figures on every {@code --bench} file,
 * computed from cached mean vectors); with adapters also {@code DIR/encoder-adapter.bin} and
 * {@code DIR/adapter-report.json}. {@code --adapter FILE} reuses a trained adapter (several, comma-separated: their
 * {@linkplain LoraAdapter#average factor-wise mean}); {@code --adapter-init FILE} continues training one; either FILE may also be a guard heads file (e.g. a
 * shipped guard's), whose adapter is taken. Sentence vectors are cached
 * in {@code --cache} (default {@code DIR/features-<encoder>.cache}, with {@code -bf16} or {@code -int8} before
 * {@code .cache} when the sentence vectors are embedded at that {@code --precision}; {@code auto} picks bf16 on CPUs
 * with native bfloat16).
 */
public final class TrainMain {

    private static final Logger LOG = LoggerFactory.getLogger(TrainMain.class);
    static final int TRAIN_MAX_WINDOWS = 8;
    /** Respelled copies per prompt label for {@code --obfuscated}: the per-source cap of the default recipes. */
    static final int OBFUSCATED_PER_LABEL = 3000;
    /** Diluted copies per response label for {@code --diluted-answers}: about half the corpus's harmful answers. */
    static final int DILUTED_PER_LABEL = 1500;

    public static void main(String[] args) throws Exception {
        Path train = null;
        Path dev = null;
        Path out = null;
        Path cache = null;
        long seed = 13;
        int cap = 2500;
        int epochs = 40;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean extractOnly = false;
        Precision precision = Precision.AUTO;
        boolean lexical = false;
        double offensiveWeight = 0;
        double responseContentWeight = 0;
        double obfuscatedWeight = 0;
        Map<AuthoredAnswers, Double> answers = new EnumMap<>(AuthoredAnswers.class);
        double dilutedWeight = 0;
        double dilutedRequestsWeight = 0;
        Map<AuthoredRequests, Double> authored = new LinkedHashMap<>();
        List<Path> benches = new ArrayList<>();
        Map<String, Double> sourceWeights = new LinkedHashMap<>();
        int adapterLayers = 0;
        int adapterRank = 8;
        int adapterEpochs = 2;
        int adapterCap = -1;
        float adapterLr = 5e-4f;
        String adapterFiles = null;
        Path adapterInit = null;
        BaseEncoder base = BaseEncoder.DEFAULT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--train" -> train = Path.of(args[++i]);
                case "--encoder" -> base = BaseEncoder.parse(args[++i]);
                case "--dev" -> dev = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--cache" -> cache = Path.of(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--cap" -> cap = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--extract-only" -> extractOnly = true;
                case "--lexical" -> lexical = true;
                case "--offensive-weight" -> offensiveWeight = Double.parseDouble(args[++i]);
                case "--response-as-content" -> responseContentWeight = weightOrExit(args[i], args[++i]);
                case "--obfuscated" -> obfuscatedWeight = weightOrExit(args[i], args[++i]);
                case DilutedAnswers.FLAG -> dilutedWeight = weightOrExit(args[i], args[++i]);
                case DilutedRequests.FLAG -> dilutedRequestsWeight = weightOrExit(args[i], args[++i]);
                case "--bench" -> benches.add(Path.of(args[++i]));
                case "--source-weight" -> {
                    String[] kv = args[++i].split("=", 2);
                    double w = kv.length == 2 ? parseWeight(kv[1]) : -1;
                    if (kv[0].isBlank() || !isWeight(w)) {
                        System.err.println("--source-weight takes SOURCE=W with W a finite number >= 0, not '" + args[i] + "'");
                        System.exit(2);
                    }
                    sourceWeights.put(kv[0], w);
                }
                case "--adapter-layers" -> adapterLayers = Integer.parseInt(args[++i]);
                case "--adapter-rank" -> adapterRank = Integer.parseInt(args[++i]);
                case "--adapter-epochs" -> adapterEpochs = Integer.parseInt(args[++i]);
                case "--adapter-cap" -> adapterCap = Integer.parseInt(args[++i]);
                case "--adapter-lr" -> adapterLr = Float.parseFloat(args[++i]);
                case "--adapter" -> adapterFiles = args[++i];
                case "--adapter-init" -> adapterInit = Path.of(args[++i]);
                case "--precision" -> precision = Precision.parse(args[++i]);
                default -> {
                    AuthoredRequests set = AuthoredRequests.byFlag(args[i]);
                    if (set != null) {
                        authored.put(set, weightOrExit(args[i], args[++i]));
                        continue;
                    }
                    AuthoredAnswers answerSet = AuthoredAnswers.byFlag(args[i]);
                    if (answerSet != null) {
                        answers.put(answerSet, weightOrExit(args[i], args[++i]));
                        continue;
                    }
                    System.err.println("usage: TrainMain --train FILE --dev FILE --out DIR [--seed N] [--cap N] "
                            + "[--epochs N] [--threads N] [--cache FILE] [--extract-only] [--lexical] [--offensive-weight W] [--source-weight SOURCE=W ...] [--response-as-content W] "
                            + Arrays.stream(AuthoredRequests.values()).map(a -> "[" + a.flag() + " W] ").collect(Collectors.joining())
                            + "[--obfuscated W] "
                            + Arrays.stream(AuthoredAnswers.values()).map(a -> "[" + a.flag() + " W] ").collect(Collectors.joining())
                            + "[" + DilutedAnswers.FLAG + " W] [" + DilutedRequests.FLAG + " W] [--bench FILE ...] "
                            + "[--adapter-layers K] [--adapter-rank R] [--adapter-epochs N] [--adapter-cap N] [--adapter-lr LR] "
                            + "[--adapter FILE[,FILE...]] [--adapter-init FILE] [--precision auto|fp32|bf16|int8] "
                            + "[--encoder minilm-l6|e5-small-v2]");
                    System.exit(2);
                }
            }
        }
        if (train == null || dev == null || out == null) {
            System.err.println("--train, --dev and --out are required");
            System.exit(2);
        }
        Files.createDirectories(out);
        authored.values().removeIf(w -> w == 0);
        authored.forEach((set, w) -> sourceWeights.putIfAbsent(set.source(), w));
        if (obfuscatedWeight > 0) {
            sourceWeights.putIfAbsent(Obfuscations.SOURCE, obfuscatedWeight);
        }
        answers.values().removeIf(w -> w == 0);
        answers.forEach((set, w) -> sourceWeights.putIfAbsent(set.source(), w));
        if (dilutedWeight > 0) {
            sourceWeights.putIfAbsent(DilutedAnswers.SOURCE, dilutedWeight);
        }
        if (dilutedRequestsWeight > 0) {
            sourceWeights.putIfAbsent(DilutedRequests.SOURCE, dilutedRequestsWeight);
        }
        precision = precision.resolve();
        LOG.info("encoder precision {} (adapter training, lower-layer states, sentence vectors)", precision);
        TrainingSet policy = new TrainingSet(cap, seed, offensiveWeight, sourceWeights, responseContentWeight);
        List<GuardRecord> all = GuardRecord.readJsonl(train);
        for (AuthoredRequests set : authored.keySet()) {
            all.addAll(set.load());
        }
        for (AuthoredAnswers set : answers.keySet()) {
            all.addAll(set.load());
        }
        if (obfuscatedWeight > 0) {
            // drawn from what the caps and weights select, so the copies follow the training mix
            all.addAll(Obfuscations.balanced(policy.select(all), OBFUSCATED_PER_LABEL, seed));
        }
        if (dilutedWeight > 0) {
            all.addAll(DilutedAnswers.balanced(policy.select(all), DILUTED_PER_LABEL, seed));
        }
        if (dilutedRequestsWeight > 0) {
            all.addAll(DilutedRequests.balanced(policy.select(all), DILUTED_PER_LABEL, seed));
        }
        List<GuardRecord> trainSet = policy.select(all);
        Map<String, List<GuardRecord>> benchSets = new LinkedHashMap<>();
        for (Path b : benches) {
            benchSets.put(b.getFileName().toString(), GuardRecord.readJsonl(b));
        }
        List<GuardRecord> devSet = GuardRecord.readJsonl(dev);
        LOG.info("training records selected: {}, dev records: {}", trainSet.size(), devSet.size());

        LoraAdapter adapter = null;
        if (adapterFiles != null) {
            List<LoraAdapter> adapters = new ArrayList<>();
            for (String file : adapterFiles.split(",")) {
                adapters.add(readAdapter(Path.of(file.trim())));
            }
            adapter = adapters.size() == 1 ? adapters.get(0) : LoraAdapter.average(adapters);
        } else if (adapterLayers > 0) {
            TrainingSet adapterPolicy = new TrainingSet(adapterCap > 0 ? adapterCap : cap, seed, offensiveWeight, sourceWeights,
                    responseContentWeight);
            AdapterTrainer.Settings settings = new AdapterTrainer.Settings(base, adapterLayers, adapterRank, 2f,
                    adapterEpochs, adapterLr, seed, threads, precision);
            LoraAdapter start = adapterInit == null ? null : readAdapter(adapterInit);
            AdapterTrainer.Trained r = new AdapterTrainer(settings, adapterPolicy, start)
                    .train(adapterPolicy.select(all), devSet, base.readWeights());
            adapter = r.adapter();
            adapter.write(out.resolve("encoder-adapter.bin"));
            Files.writeString(out.resolve("adapter-report.json"), r.reportJson());
            LOG.info("wrote {} and report:\n{}", out.resolve("encoder-adapter.bin"), r.reportJson());
        }
        all = null;
        String encoderTag = adapter == null ? base.id() : base.id() + "-lora-" + adapter.fingerprint();
        // vectors of different precisions must not share a cache: fp32 keeps the name it always had
        String precisionTag = precision == Precision.FP32 ? "" : "-" + precision.name().toLowerCase(Locale.ROOT);
        String cacheName = "features-" + encoderTag + precisionTag + ".cache";
        FeatureCache features = new FeatureCache(cache != null ? cache : out.resolve(cacheName));

        List<String> texts = new ArrayList<>();
        List<List<GuardRecord>> sets = new ArrayList<>(List.of(trainSet, devSet));
        sets.addAll(benchSets.values());
        for (List<GuardRecord> set : sets) {
            for (GuardRecord r : set) {
                if (r.promptHarmful() != null || r.response() != null) {
                    texts.add(r.prompt());
                }
            }
            for (GuardRecord r : set) {
                if (r.response() != null) {
                    texts.add(r.response());
                }
            }
        }
        try (BertEncoder encoder = BertEncoder.load(base, threads, 1, "auto", precision, adapter)) {
            TextEmbedder embedder = new TextEmbedder(encoder, 128, 32, 32);
            features.ensure(texts, embedder, TRAIN_MAX_WINDOWS);
        }
        if (extractOnly) {
            return;
        }
        HeadTrainer.Result result = new HeadTrainer(policy, epochs, lexical, encoderTag, base.tokenizer())
                .train(trainSet, devSet, benchSets, features);
        result.heads().withEncoder(base, adapter).write(out.resolve("guard-heads.bin"));
        Files.writeString(out.resolve("guard-heads-report.json"), result.reportJson());
        LOG.info("wrote {} and report:\n{}", out.resolve("guard-heads.bin"), result.reportJson());
    }

    /** A finite number {@code >= 0} (NaN is not). */
    private static boolean isWeight(double w) {
        return w >= 0 && !Double.isInfinite(w);
    }

    /** {@code text} as the weight {@code flag} takes; a clear message and exit status 2 when it is not one. */
    private static double weightOrExit(String flag, String text) {
        double w = parseWeight(text);
        if (!isWeight(w)) {
            System.err.println(flag + " takes a finite weight >= 0, not '" + text + "'");
            System.exit(2);
        }
        return w;
    }

    /** The weight, or -1 when the text is not a number. */
    private static double parseWeight(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** An adapter file, or the adapter inside a guard heads file. */
    static LoraAdapter readAdapter(Path file) throws java.io.IOException {
        if (!GuardHeads.isHeadsFile(file)) {
            return LoraAdapter.read(file);
        }
        LoraAdapter adapter = GuardHeads.read(file).adapter();
        if (adapter == null) {
            throw new java.io.IOException(file + " is a guard heads file without an adapter");
        }
        return adapter;
    }
}
