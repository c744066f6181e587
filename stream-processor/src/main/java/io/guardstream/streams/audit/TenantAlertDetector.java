package io.guardstream.streams.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import io.guardstream.avro.Alert;
import io.guardstream.avro.AlertKind;
import io.guardstream.avro.Severity;
import io.guardstream.streams.config.StreamProcessorConfig;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Raises UNSAFE_CATEGORY, BLOCK_RATE and UNSAFE_RATE_SPIKE from a tenant's window counts, each once per window. */
final class TenantAlertDetector implements Processor<Windowed<String>, TenantWindowStats, String, Alert> {

    private final StreamProcessorConfig.Audit config;
    private final Clock clock;
    private ProcessorContext<String, Alert> context;
    private AlertDeduper deduper;

    TenantAlertDetector(StreamProcessorConfig.Audit config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.deduper = new AlertDeduper(context, AuditTopology.TENANT_ALERT_DEDUPE_STORE, config.windowSize().multipliedBy(2));
        deduper.scheduleCleanup(context);
    }

    @Override
    public void process(Record<Windowed<String>, TenantWindowStats> record) {
        TenantWindowStats stats = record.value();
        if (stats == null) {
            return;
        }
        String tenant = record.key().key();
        long start = record.key().window().start();
        long end = record.key().window().end();
        for (Map.Entry<String, Long> category : stats.categories().entrySet()) {
            if (category.getValue() >= config.categoryThreshold()
                    && deduper.tryFire(AlertKind.UNSAFE_CATEGORY + "|" + tenant + "|" + category.getKey(), start, end)) {
                emit(record, alert(AlertKind.UNSAFE_CATEGORY, Severity.WARNING, tenant, stats, start, end)
                        .setAlertId(Alerts.alertId(AlertKind.UNSAFE_CATEGORY, tenant, category.getKey(), start))
                        .setCount(category.getValue())
                        .setMessage(category.getValue() + " unsafe exchanges in category " + category.getKey() + " for tenant "
                                + tenant + " within " + Alerts.human(config.windowSize())));
            }
        }
        if (stats.total() >= config.blockRateMinCount() && stats.blockRate() >= config.blockRateThreshold()
                && deduper.tryFire(AlertKind.BLOCK_RATE + "|" + tenant, start, end)) {
            emit(record, alert(AlertKind.BLOCK_RATE, Severity.WARNING, tenant, stats, start, end)
                    .setCount(stats.blocked())
                    .setRate(stats.blockRate())
                    .setMessage(String.format("%d of %d exchanges blocked (%.0f%%) for tenant %s within %s",
                            stats.blocked(), stats.total(), 100 * stats.blockRate(), tenant, Alerts.human(config.windowSize()))));
        }
        Double baseline = stats.baselineRate();
        if (baseline != null && stats.baselineSamples() >= config.baselineMinSamples()
                && stats.total() >= config.spikeMinCount()
                && stats.unsafeRate() >= baseline * config.spikeFactor()
                && stats.unsafeRate() - baseline >= config.spikeMinDelta()
                && deduper.tryFire(AlertKind.UNSAFE_RATE_SPIKE + "|" + tenant, start, end)) {
            emit(record, alert(AlertKind.UNSAFE_RATE_SPIKE, Severity.CRITICAL, tenant, stats, start, end)
                    .setCount(stats.unsafe())
                    .setRate(stats.unsafeRate())
                    .setBaselineRate(baseline)
                    .setMessage(String.format("Unsafe rate %.0f%% (%d of %d) for tenant %s within %s, baseline %.1f%%",
                            100 * stats.unsafeRate(), stats.unsafe(), stats.total(), tenant, Alerts.human(config.windowSize()),
                            100 * baseline)));
        }
    }

    private Alert.Builder alert(AlertKind kind, Severity severity, String tenant, TenantWindowStats stats, long start, long end) {
        return Alert.newBuilder()
                .setAlertId(Alerts.alertId(kind, tenant, null, start))
                .setTenantId(tenant)
                .setEndUserId(null)
                .setKind(kind)
                .setSeverity(severity)
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(end))
                .setTopCategories(stats.categories())
                .setEvidenceExchangeIds(stats.evidence())
                .setCreatedAt(clock.instant());
    }

    private void emit(Record<Windowed<String>, TenantWindowStats> source, Alert.Builder alert) {
        Alert built = alert.build();
        context.forward(new Record<>(built.getTenantId(), built, source.timestamp()));
    }
}
