package io.guardstream.model.train;

import io.guardstream.model.encoder.MiniLmEncoder;
import io.guardstream.model.encoder.TextEmbedder;
import io.guardstream.model.tokenizer.WordPieceTokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the guard heads on frozen MiniLM features.
 *
 * <pre>
 * TrainMain --train guard-train.jsonl --dev guard-dev.jsonl --out DIR
 *           [--seed 13] [--cap 2500] [--epochs 40] [--threads N] [--cache FILE] [--extract-only] [--lexical]
 *           [--offensive-weight 0] [--bench dev-benchmarks/x.jsonl ...]
 * </pre>
 *
 * Writes {@code DIR/guard-heads.bin} (weights and calibrated thresholds) and {@code DIR/guard-heads-report.json}
 * (dev figures, and prompt-harm figures on every {@code --bench} file, computed from cached mean vectors). Sentence vectors are cached in {@code --cache} (default {@code DIR/features.cache}).
 */
public final class TrainMain {

    private static final Logger LOG = LoggerFactory.getLogger(TrainMain.class);
    static final int TRAIN_MAX_WINDOWS = 8;

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
        boolean lexical = false;
        double offensiveWeight = 0;
        List<Path> benches = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--train" -> train = Path.of(args[++i]);
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
                case "--bench" -> benches.add(Path.of(args[++i]));
                default -> {
                    System.err.println("usage: TrainMain --train FILE --dev FILE --out DIR [--seed N] [--cap N] "
                            + "[--epochs N] [--threads N] [--cache FILE] [--extract-only] [--lexical] [--offensive-weight W] [--bench FILE ...]");
                    System.exit(2);
                }
            }
        }
        if (train == null || dev == null || out == null) {
            System.err.println("--train, --dev and --out are required");
            System.exit(2);
        }
        Files.createDirectories(out);
        FeatureCache features = new FeatureCache(cache != null ? cache : out.resolve("features.cache"));
        TrainingSet policy = new TrainingSet(cap, seed, offensiveWeight);
        List<GuardRecord> trainSet = policy.select(GuardRecord.readJsonl(train));
        Map<String, List<GuardRecord>> benchSets = new LinkedHashMap<>();
        for (Path b : benches) {
            benchSets.put(b.getFileName().toString(), GuardRecord.readJsonl(b));
        }
        List<GuardRecord> devSet = GuardRecord.readJsonl(dev);
        LOG.info("training records selected: {}, dev records: {}", trainSet.size(), devSet.size());

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
        try (MiniLmEncoder encoder = MiniLmEncoder.loadFromClasspath(threads)) {
            TextEmbedder embedder = new TextEmbedder(encoder, WordPieceTokenizer.miniLm(), 128, 32, 32);
            features.ensure(texts, embedder, TRAIN_MAX_WINDOWS);
        }
        if (extractOnly) {
            return;
        }
        HeadTrainer.Result result = new HeadTrainer(policy, epochs, lexical).train(trainSet, devSet, benchSets, features);
        result.heads().write(out.resolve("guard-heads.bin"));
        Files.writeString(out.resolve("guard-heads-report.json"), result.reportJson());
        LOG.info("wrote {} and report:\n{}", out.resolve("guard-heads.bin"), result.reportJson());
    }
}
