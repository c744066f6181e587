package io.guardstream.model.bench;

import io.guardstream.model.GuardItem;
import io.guardstream.model.GuardModel;
import io.guardstream.model.GuardResult;
import io.guardstream.model.batch.DynamicBatcher;
import io.guardstream.model.config.ModelServerConfig;
import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.BertEncoder;
import io.guardstream.model.encoder.Precision;
import io.guardstream.model.heads.GuardHeads;
import io.guardstream.model.tokenizer.WordPieceTokenizer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Guard checks per second through the dynamic batcher (many concurrent callers, one item each, reasoning off)
 * for inputs of a fixed token length, once per encoder precision in the same run (the first is the baseline the
 * others are compared with), and for each heads in the list. Args: {@code [tokens,...=64,256] [checks=512] [maxBatch=32]
 * [heads,...: heads.bin|shipped|ENCODER, default shipped]
 * [workers=the server's default] [precisions=fp32,bf16]}.
 */
public final class ThroughputBench {

    public static void main(String[] args) throws Exception {
        String[] lengths = (args.length > 0 ? args[0] : "64,256").split(",");
        int checks = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int maxBatch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        List<GuardHeads> headsList = new ArrayList<>();
        for (String h : (args.length > 3 ? args[3] : "shipped").split(",")) {
            headsList.add(heads(h));
        }
        int workers = args.length > 4 ? Integer.parseInt(args[4]) : ModelServerConfig.Batching.DEFAULT_WORKERS;
        String[] precisions = (args.length > 5 ? args[5] : "fp32,bf16").split(",");
        int threads = args.length > 6 ? Integer.parseInt(args[6]) : Runtime.getRuntime().availableProcessors();
        int sessions = args.length > 7 ? Integer.parseInt(args[7]) : 1;
        WordPieceTokenizer tok = WordPieceTokenizer.miniLm();
        System.out.printf(Locale.ROOT, "intraOpThreads=%d sessions=%d maxBatch=%d workers=%d checks=%d reasoning=off%n",
                threads, sessions, maxBatch, workers, checks);
        Map<String, Double> baseline = new HashMap<>();
        String baselineRun = headsList.get(0).encoder().id() + "/" + precisions[0];
        for (GuardHeads heads : headsList) {
            for (String p : precisions) {
                measure(heads, Precision.parse(p), lengths, checks, maxBatch, workers, threads, sessions, tok,
                        baseline, baselineRun);
            }
        }
    }

    private static void measure(GuardHeads heads, Precision precision, String[] lengths, int checks, int maxBatch,
                                int workers, int threads, int sessions, WordPieceTokenizer tok,
                                Map<String, Double> baseline, String baselineRun) {
        try (GuardModel model = new GuardModel(BertEncoder.load(heads.encoder(), threads, sessions, "auto", precision,
                heads.adapter()), heads, 256, 32, maxBatch, 0);
             DynamicBatcher<GuardItem, GuardResult> batcher = new DynamicBatcher<GuardItem, GuardResult>("bench",
                     maxBatch, Duration.ofMillis(5), 100_000, workers, model::check, null).start()) {
            for (String l : lengths) {
                int tokens = Integer.parseInt(l.trim());
                List<String> texts = textsOfTokens(tok, tokens, checks, 11);
                run(batcher, texts.subList(0, Math.min(64, texts.size())));
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                run(batcher, texts);
                double secs = (System.nanoTime() - t0) / 1e9;
                double cpuMsPerCheck = (processCpuNanos() - cpu0) / 1e6 / checks;
                double rate = checks / secs;
                Double base = baseline.putIfAbsent(l, rate);
                System.out.printf(Locale.ROOT, "encoder=%s precision=%s tokens=%d  %.1f checks/s  (%d checks in %.2f s,"
                                + " %.2f CPU ms per check)%s%n", heads.encoder().id(),
                        model.precision().name().toLowerCase(Locale.ROOT), tokens, rate, checks, secs, cpuMsPerCheck,
                        base == null ? "  baseline" : String.format(Locale.ROOT, "  %.2fx the %s run", rate / base,
                                baselineRun));
            }
        }
    }

    /** CPU time of the whole process (all threads): steadier than wall time when the host's load moves. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void run(DynamicBatcher<GuardItem, GuardResult> batcher, List<String> texts) {
        List<CompletableFuture<GuardResult>> fs = new ArrayList<>();
        int i = 0;
        for (String t : texts) {
            fs.add(batcher.submit(new GuardItem("c" + i++, new GuardItem.Request(t, List.of()), null, false)));
        }
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).join();
    }

    /** Texts whose encoding ({@code [CLS]} and {@code [SEP]} included) is exactly {@code tokens} long. */
    static List<String> textsOfTokens(WordPieceTokenizer tok, int tokens, int n, long seed) {
        List<String> base = EncoderVsOnnxBench.texts(n, tokens * 2, seed);
        List<String> out = new ArrayList<>(n);
        Random r = new Random(seed);
        for (String b : base) {
            String[] words = b.split(" ");
            StringBuilder s = new StringBuilder();
            for (String w : words) {
                String next = s.length() == 0 ? w : s + " " + w;
                if (tok.tokenize(next).length > tokens - 2) {
                    break;
                }
                s.setLength(0);
                s.append(next);
            }
            while (tok.tokenize(s.toString()).length < tokens - 2) {
                s.append(" a");
            }
            out.add(s.toString());
        }
        java.util.Collections.shuffle(out, r);
        return out;
    }

    /** {@code shipped} (the default encoder's shipped heads), an encoder id (its shipped heads) or a heads file. */
    static GuardHeads heads(String arg) throws java.io.IOException {
        if (arg.equals("shipped")) {
            return GuardHeads.shipped();
        }
        Path file = Path.of(arg);
        return java.nio.file.Files.isRegularFile(file) ? GuardHeads.read(file) : GuardHeads.shipped(BaseEncoder.parse(arg));
    }
}
