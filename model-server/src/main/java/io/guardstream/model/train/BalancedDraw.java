package io.guardstream.model.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** A seeded draw of as many records of one label as of the other, for augmented copies that are no evidence either way. */
final class BalancedDraw {

    private BalancedDraw() {
    }

    /**
     * Up to {@code perLabel} of {@code positive}, then as many of {@code negative} (the smaller list sets the count),
     * each list shuffled with its own generator ({@code seed} and {@code seed + 1}).
     */
    static List<GuardRecord> of(List<GuardRecord> positive, List<GuardRecord> negative, int perLabel, long seed) {
        int n = Math.min(perLabel, Math.min(positive.size(), negative.size()));
        List<GuardRecord> pos = new ArrayList<>(positive);
        List<GuardRecord> neg = new ArrayList<>(negative);
        Collections.shuffle(pos, new Random(seed));
        Collections.shuffle(neg, new Random(seed + 1));
        List<GuardRecord> picked = new ArrayList<>(pos.subList(0, n));
        picked.addAll(neg.subList(0, n));
        return picked;
    }
}
