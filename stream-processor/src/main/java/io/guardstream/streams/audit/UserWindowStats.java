package io.guardstream.streams.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Unsafe exchanges of one end user in one window, stored in {@value AuditTopology#USER_WINDOW_STORE}. */
public record UserWindowStats(String tenantId, String endUserId, long unsafe, Map<String, Long> categories, List<String> evidence) {

    public UserWindowStats {
        categories = categories == null ? Map.of() : Map.copyOf(categories);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    public static UserWindowStats empty() {
        return new UserWindowStats(null, null, 0, Map.of(), List.of());
    }

    public UserWindowStats plus(AuditEvent e) {
        Map<String, Long> cats = new TreeMap<>(categories);
        e.categories().forEach(c -> cats.merge(c, 1L, Long::sum));
        List<String> ev = new ArrayList<>(evidence);
        if (ev.size() < TenantWindowStats.MAX_EVIDENCE) {
            ev.add(e.exchangeId());
        }
        return new UserWindowStats(e.tenantId(), e.endUserId(), unsafe + 1, cats, ev);
    }
}
