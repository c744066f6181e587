package io.guardstream.streams.audit;

/**
 * All-time counts of one tenant and its moving-average unsafe rate (the baseline for spike alerts): the plain
 * mean over the first 1/alpha exchanges, an exponential moving average with weight alpha after that;
 * stored in {@value AuditTopology#TENANT_TOTALS_STORE}.
 */
public record TenantTotals(long total, long unsafe, long blocked, long undecided, double baselineRate, long firstSeen, long lastSeen) {

    public static TenantTotals empty() {
        return new TenantTotals(0, 0, 0, 0, 0.0, 0, 0);
    }

    public TenantTotals plus(AuditEvent e, double alpha) {
        double x = e.unsafe() ? 1.0 : 0.0;
        double weight = Math.max(alpha, 1.0 / (total + 1));
        double rate = baselineRate + weight * (x - baselineRate);
        return new TenantTotals(total + 1, unsafe + (e.unsafe() ? 1 : 0), blocked + (e.blocked() ? 1 : 0),
                undecided + (e.undecided() ? 1 : 0), rate, total == 0 ? e.timestamp() : firstSeen, Math.max(lastSeen, e.timestamp()));
    }
}
