package io.guardstream.model.train;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The seeded selection of training records and their weights.
 *
 * <ul>
 *   <li>Davidson tweets of class {@code offensive} (profanity, not harm in the guard's policy) get
 *       {@code offensiveWeight}; 0 drops them.</li>
 *   <li>Per source at most {@code cap} prompt-labelled records (the GuardReasoner/WildGuard mixes are kept whole),
 *       so 30k Alpaca instructions and 20k tweets do not drown the rest.</li>
 *   <li>Sources that label mild rudeness as harmful (toxic-spans, olid) get weight {@link #MILD_WEIGHT}; the
 *       dialogue-safety replies of diasafety get {@link #DIALOGUE_WEIGHT} on the response task.</li>
 *   <li>{@code sourceWeights} overrides the weight of whole sources by name, on both tasks.</li>
 *   <li>{@code responseContentWeight} &gt; 0 also teaches the request head on labelled assistant responses as content
 *       (a harmful answer is harmful text, a refusal or a benign answer is not), at that weight: most unharmful
 *       text in the corpus is plain Alpaca instructions, while refusals talk about the same sensitive topics as the
 *       harmful requests. Dialogue replies (diasafety) are left out: their labels depend on the context.</li>
 * </ul>
 */
public record TrainingSet(int cap, long seed, double offensiveWeight, Map<String, Double> sourceWeights,
                          double responseContentWeight) {

    public TrainingSet {
        sourceWeights = Map.copyOf(sourceWeights);
    }

    public TrainingSet(int cap, long seed, double offensiveWeight, Map<String, Double> sourceWeights) {
        this(cap, seed, offensiveWeight, sourceWeights, 0);
    }

    public TrainingSet(int cap, long seed, double offensiveWeight) {
        this(cap, seed, offensiveWeight, Map.of());
    }

    public static final double MILD_WEIGHT = 0.5;
    public static final double DIALOGUE_WEIGHT = 0.3;
    private static final Set<String> UNCAPPED = Set.of("wizard101-gr5k", "wizard101-wildguardmix");
    private static final Set<String> MILD = Set.of("toxic-spans", "olid");

    static boolean offensive(GuardRecord r) {
        return "davidson".equals(r.source()) && r.categories().contains("offensive");
    }

    public boolean dropped(GuardRecord r) {
        return offensiveWeight <= 0 && offensive(r);
    }

    public double promptWeight(GuardRecord r) {
        if (offensive(r)) {
            return offensiveWeight;
        }
        Double named = sourceWeights.get(r.source());
        if (named != null) {
            return named;
        }
        return MILD.contains(r.source()) ? MILD_WEIGHT : 1.0;
    }

    /** Weight of {@code r}'s response as a request-head (content) example; 0 = not one. */
    public double contentWeight(GuardRecord r) {
        if (responseContentWeight <= 0 || r.response() == null || r.responseHarmful() == null
                || "diasafety".equals(r.source())) {
            return 0;
        }
        return responseContentWeight * sourceWeights.getOrDefault(r.source(), 1.0);
    }

    public double responseWeight(GuardRecord r) {
        Double named = sourceWeights.get(r.source());
        if (named != null) {
            return named;
        }
        return "diasafety".equals(r.source()) ? DIALOGUE_WEIGHT : 1.0;
    }

    /**
     * Selected records in a deterministic, shuffled order. Each source is shuffled with its own seeded generator,
     * so a larger cap only adds records.
     */
    public List<GuardRecord> select(List<GuardRecord> all) {
        Map<String, List<GuardRecord>> bySource = new LinkedHashMap<>();
        for (GuardRecord r : all) {
            if (!dropped(r)) {
                bySource.computeIfAbsent(r.source(), k -> new ArrayList<>()).add(r);
            }
        }
        List<GuardRecord> out = new ArrayList<>();
        for (Map.Entry<String, List<GuardRecord>> e : bySource.entrySet()) {
            List<GuardRecord> rs = new ArrayList<>(e.getValue());
            Collections.shuffle(rs, new Random(seed ^ e.getKey().hashCode()));
            int limit = UNCAPPED.contains(e.getKey()) ? rs.size() : cap;
            out.addAll(rs.subList(0, Math.min(limit, rs.size())));
        }
        Random rnd = new Random(seed);
        Collections.shuffle(out, rnd);
        return out;
    }

    /**
     * Eight hex digits over what training on {@code records} under this policy sees: the cap, and each record in
     * order (the order decides the seeded selection) with its texts, labels and the weights given to it. Heads
     * trained on other data (an authored set added or rewritten) get another version string.
     */
    public String fingerprint(List<GuardRecord> records) {
        MessageDigest sha = sha256();
        sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(cap).array());
        ByteBuffer numbers = ByteBuffer.allocate(3 * Double.BYTES);
        for (GuardRecord r : records) {
            String categories = r.categories() == null ? null : String.join("\u0001", r.categories());
            for (String field : new String[] {r.id(), r.prompt(), r.response(), String.valueOf(r.promptHarmful()),
                    String.valueOf(r.responseHarmful()), String.valueOf(r.refusal()), categories}) {
                sha.update((field == null ? "\u0000" : field).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            numbers.clear();
            numbers.putDouble(dropped(r) ? -1 : promptWeight(r)).putDouble(responseWeight(r)).putDouble(contentWeight(r));
            sha.update(numbers.array());
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 4);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
