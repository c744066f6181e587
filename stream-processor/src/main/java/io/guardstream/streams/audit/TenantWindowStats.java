package io.guardstream.streams.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts of one tenant in one window, stored in {@value AuditTopology#TENANT_WINDOW_STORE}. */
public record TenantWindowStats(long total, long unsafe, long requestHarmful, long responseHarmful, long blocked,
                                long undecided, long linked, Map<String, Long> categories, List<String> evidence,
                                Double baselineRate, long baselineSamples) {

    public static final int MAX_EVIDENCE = 20;

    public TenantWindowStats {
        categories = categories == null ? Map.of() : Map.copyOf(categories);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    public static TenantWindowStats empty() {
        return new TenantWindowStats(0, 0, 0, 0, 0, 0, 0, Map.of(), List.of(), null, 0);
    }

    public TenantWindowStats plus(AuditEvent e) {
        Map<String, Long> cats = new TreeMap<>(categories);
        List<String> ev = new ArrayList<>(evidence);
        if (e.unsafe()) {
            e.categories().forEach(c -> cats.merge(c, 1L, Long::sum));
            if (ev.size() < MAX_EVIDENCE) {
                ev.add(e.exchangeId());
            }
        }
        Double baseline = total == 0 ? Double.valueOf(e.baselineRate()) : baselineRate;
        long samples = total == 0 ? e.baselineSamples() : baselineSamples;
        return new TenantWindowStats(total + 1, unsafe + flag(e.unsafe()), requestHarmful + flag(e.requestHarmful()),
                responseHarmful + flag(e.responseHarmful()), blocked + flag(e.blocked()), undecided + flag(e.undecided()),
                linked + flag(e.linked()), cats, ev, baseline, samples);
    }

    public double unsafeRate() {
        return total == 0 ? 0.0 : (double) unsafe / total;
    }

    public double blockRate() {
        return total == 0 ? 0.0 : (double) blocked / total;
    }

    private static long flag(boolean b) {
        return b ? 1 : 0;
    }
}
