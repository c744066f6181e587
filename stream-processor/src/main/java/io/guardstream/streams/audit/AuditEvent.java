package io.guardstream.streams.audit;

import java.util.List;

/**
 * What the audit app learnt from one exchange, the unit of its windowed aggregations.
 *
 * @param unsafe          request or response judged harmful, or the exchange was blocked
 * @param blocked         the gateway blocked the exchange
 * @param undecided       no decision could be made (guard error and no in-flight decision)
 * @param linked          decided from verdicts produced in flight rather than by a new guard call
 * @param categories      categories present (score over threshold) when unsafe
 * @param baselineRate    the tenant's moving-average unsafe rate before this exchange (set per tenant)
 * @param baselineSamples how many exchanges that baseline is based on
 */
public record AuditEvent(String exchangeId, String tenantId, String endUserId, long timestamp,
                         boolean requestHarmful, boolean responseHarmful, boolean unsafe, boolean blocked,
                         boolean undecided, boolean linked, List<String> categories,
                         double baselineRate, long baselineSamples) {

    public AuditEvent {
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    public AuditEvent withBaseline(double rate, long samples) {
        return new AuditEvent(exchangeId, tenantId, endUserId, timestamp, requestHarmful, responseHarmful, unsafe, blocked,
                undecided, linked, categories, rate, samples);
    }
}
