package io.guardstream.model.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The seeded selection of training records and their weights.
 *
 * <ul>
 *   <li>Davidson tweets of class {@code offensive} (profanity, not harm in the guard's policy) are dropped.</li>
 *   <li>Per source at most {@code cap} prompt-labelled records (the GuardReasoner/WildGuard mixes are kept whole),
 *       so 30k Alpaca instructions and 20k tweets do not drown the rest.</li>
 *   <li>Sources that label mild rudeness as harmful (toxic-spans, olid) get weight {@link #MILD_WEIGHT}; the
 *       dialogue-safety replies of diasafety get {@link #DIALOGUE_WEIGHT} on the response task.</li>
 * </ul>
 */
public final class TrainingSet {

    public static final double MILD_WEIGHT = 0.5;
    public static final double DIALOGUE_WEIGHT = 0.3;
    private static final Set<String> UNCAPPED = Set.of("wizard101-gr5k", "wizard101-wildguardmix");
    private static final Set<String> MILD = Set.of("toxic-spans", "olid");

    private TrainingSet() {
    }

    public static boolean dropped(GuardRecord r) {
        return "davidson".equals(r.source()) && r.categories().contains("offensive");
    }

    public static double promptWeight(GuardRecord r) {
        return MILD.contains(r.source()) ? MILD_WEIGHT : 1.0;
    }

    public static double responseWeight(GuardRecord r) {
        return "diasafety".equals(r.source()) ? DIALOGUE_WEIGHT : 1.0;
    }

    /** Selected records in a deterministic, shuffled order. */
    public static List<GuardRecord> select(List<GuardRecord> all, int cap, long seed) {
        Map<String, List<GuardRecord>> bySource = new LinkedHashMap<>();
        for (GuardRecord r : all) {
            if (!dropped(r)) {
                bySource.computeIfAbsent(r.source(), k -> new ArrayList<>()).add(r);
            }
        }
        Random rnd = new Random(seed);
        List<GuardRecord> out = new ArrayList<>();
        for (Map.Entry<String, List<GuardRecord>> e : bySource.entrySet()) {
            List<GuardRecord> rs = new ArrayList<>(e.getValue());
            Collections.shuffle(rs, rnd);
            int limit = UNCAPPED.contains(e.getKey()) ? rs.size() : cap;
            out.addAll(rs.subList(0, Math.min(limit, rs.size())));
        }
        Collections.shuffle(out, rnd);
        return out;
    }
}
