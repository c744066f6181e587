package io.guardstream.model.eval;

import io.guardstream.model.GuardItem;
import io.guardstream.model.GuardModel;
import io.guardstream.model.GuardResult;
import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.BertEncoder;
import io.guardstream.model.encoder.Precision;
import io.guardstream.model.heads.GuardHeads;
import io.guardstream.model.train.GuardRecord;

import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Random;

/**
 * Evaluates the guard on corpus-schema JSONL files.
 *
 * <pre>
 * EvalMain --data FILE.jsonl [--data ...] [--heads guard-heads.bin | --encoder e5-small-v2|minilm-l6] [--limit N]
 *          [--threads N] [--batch N] [--by-source] [--precision auto|fp32|bf16|int8] [--scores FILE.tsv]
 * </pre>
 *
 * Prints, per file and task (prompt harm, response harm, refusal), F1 with harmful (refusal) as the positive class,
 * precision, recall, false-positive rate, confusion counts and items/s. {@code --limit} evaluates a seeded sample;
 * {@code --by-source} repeats the figures per {@code source}, split by {@code origin:} sub-source where records name
 * one; {@code --scores} writes every item's gold labels and scores (see {@link ScoresTsv}) for error analysis. When
 * guard-dev or the dev benchmarks are among the files, a {@link DevScorecard} closes the output.
 */
public final class EvalMain {

    private EvalMain() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> files = new ArrayList<>();
        Path headsFile = null;
        Path scoresFile = null;
        BaseEncoder base = BaseEncoder.DEFAULT;
        int limit = 0;
        int threads = Runtime.getRuntime().availableProcessors();
        int batch = 32;
        boolean bySource = false;
        Precision precision = Precision.AUTO;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> files.add(Path.of(args[++i]));
                case "--heads" -> headsFile = Path.of(args[++i]);
                case "--encoder" -> base = BaseEncoder.parse(args[++i]);
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--by-source" -> bySource = true;
                case "--precision" -> precision = Precision.parse(args[++i]);
                case "--scores" -> scoresFile = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: EvalMain --data FILE [--data FILE ...] [--heads FILE | --encoder E] [--limit N] "
                            + "[--threads N] [--batch N] [--by-source] [--precision auto|fp32|bf16|int8] [--scores FILE.tsv]");
                    System.exit(2);
                }
            }
        }
        if (files.isEmpty()) {
            System.err.println("at least one --data FILE is required");
            System.exit(2);
        }
        GuardHeads heads = headsFile != null ? GuardHeads.read(headsFile) : GuardHeads.shipped(base);
        if (heads == null) {
            System.err.println("no guard heads: pass --heads or build with the shipped heads");
            System.exit(1);
        }
        try (GuardModel model = new GuardModel(BertEncoder.load(heads.encoder(), threads, 1, "auto", precision,
                heads.adapter()),
                heads, 128, 32, 32, 0);
             Writer scores = scoresFile == null ? null : ScoresTsv.open(scoresFile)) {
            System.out.printf(Locale.ROOT, "model %s, %s (thresholds: request %.2f, response %.2f, refusal %.2f)%n",
                    model.name(), model.precision(), heads.requestThreshold(), heads.responseThreshold(), heads.refusalThreshold());
            Map<String, List<Scored>> byFile = new LinkedHashMap<>();
            for (Path f : files) {
                List<GuardRecord> records = GuardRecord.readJsonl(f);
                if (limit > 0 && records.size() > limit) {
                    records = new ArrayList<>(records);
                    Collections.shuffle(records, new Random(13));
                    records = records.subList(0, limit);
                }
                String name = f.getFileName().toString();
                long t0 = System.nanoTime();
                List<Scored> scored = score(model, records, batch);
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "%s: %d items in %.1f s, %.1f items/s%n", name, records.size(), secs,
                        records.size() / secs);
                report(scored);
                if (bySource) {
                    Map<String, List<Scored>> groups = byGroup(scored);
                    if (groups.size() > 1) {
                        for (Map.Entry<String, List<Scored>> g : groups.entrySet()) {
                            System.out.printf(Locale.ROOT, "  source %s: %d items%n", g.getKey(), g.getValue().size());
                            report(g.getValue());
                        }
                    }
                }
                if (scores != null) {
                    ScoresTsv.write(scores, name, scored);
                }
                byFile.merge(name, scored, EvalMain::concat);
            }
            DevScorecard card = DevScorecard.of(byFile);
            if (!card.isEmpty()) {
                System.out.print(card.render());
            }
        }
    }

    /** A record with the guard's result for it. */
    record Scored(GuardRecord record, GuardResult result) {
    }

    /** The record's source, with its {@code origin:} sub-source when it has one (the mixes name their parent sets). */
    static String group(GuardRecord r) {
        for (String c : r.categories()) {
            if (c.startsWith("origin:")) {
                return r.source() + " " + c;
            }
        }
        return r.source();
    }

    /** The items by {@link #group}, in the groups' name order. */
    static Map<String, List<Scored>> byGroup(List<Scored> scored) {
        Map<String, List<Scored>> groups = new TreeMap<>();
        for (Scored s : scored) {
            groups.computeIfAbsent(group(s.record()), k -> new ArrayList<>()).add(s);
        }
        return groups;
    }

    private static List<Scored> concat(List<Scored> a, List<Scored> b) {
        List<Scored> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static List<Scored> score(GuardModel model, List<GuardRecord> records, int batch) {
        List<Scored> out = new ArrayList<>(records.size());
        for (int s = 0; s < records.size(); s += batch) {
            List<GuardRecord> part = records.subList(s, Math.min(records.size(), s + batch));
            List<GuardItem> items = new ArrayList<>();
            for (GuardRecord r : part) {
                items.add(new GuardItem(r.id(), new GuardItem.Request(r.prompt(), List.of()),
                        r.response() == null ? null : new GuardItem.Response(r.response()), false));
            }
            List<GuardResult> results = model.check(items);
            for (int i = 0; i < part.size(); i++) {
                out.add(new Scored(part.get(i), results.get(i)));
            }
        }
        return out;
    }

    /** Prints each task's figures over the records that carry its gold label. */
    static void report(List<Scored> scored) {
        for (Task task : Task.values()) {
            BinaryMetrics m = task.metrics(scored);
            if (m.total() > 0) {
                System.out.printf(Locale.ROOT, "  %-14s n=%-6d %s  FPR %.4f%n", task.key(), m.total(), m,
                        m.falsePositiveRate());
            }
        }
    }
}
