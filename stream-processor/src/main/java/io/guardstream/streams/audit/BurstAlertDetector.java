package io.guardstream.streams.audit;

import java.time.Clock;
import java.time.Instant;

import io.guardstream.avro.Alert;
import io.guardstream.avro.AlertKind;
import io.guardstream.avro.Severity;
import io.guardstream.streams.config.StreamProcessorConfig;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Raises HARMFUL_BURST when one end user reaches the burst threshold of unsafe exchanges in a window. */
final class BurstAlertDetector implements Processor<Windowed<String>, UserWindowStats, String, Alert> {

    private final StreamProcessorConfig.Audit config;
    private final Clock clock;
    private ProcessorContext<String, Alert> context;
    private AlertDeduper deduper;

    BurstAlertDetector(StreamProcessorConfig.Audit config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.deduper = new AlertDeduper(context, AuditTopology.USER_ALERT_DEDUPE_STORE, config.burstWindow().multipliedBy(2));
        deduper.scheduleCleanup(context);
    }

    @Override
    public void process(Record<Windowed<String>, UserWindowStats> record) {
        UserWindowStats stats = record.value();
        if (stats == null || stats.unsafe() < config.burstThreshold()) {
            return;
        }
        long start = record.key().window().start();
        long end = record.key().window().end();
        String subject = AlertKind.HARMFUL_BURST + "|" + record.key().key();
        if (!deduper.tryFire(subject, start, end)) {
            return;
        }
        Alert alert = Alert.newBuilder()
                .setAlertId(Alerts.alertId(AlertKind.HARMFUL_BURST, stats.tenantId(), stats.endUserId(), start))
                .setTenantId(stats.tenantId())
                .setEndUserId(stats.endUserId())
                .setKind(AlertKind.HARMFUL_BURST)
                .setSeverity(Severity.CRITICAL)
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(end))
                .setCount(stats.unsafe())
                .setTopCategories(stats.categories())
                .setEvidenceExchangeIds(stats.evidence())
                .setMessage(stats.unsafe() + " harmful exchanges from end user " + stats.endUserId() + " of tenant "
                        + stats.tenantId() + " within " + Alerts.human(config.burstWindow()))
                .setCreatedAt(clock.instant())
                .build();
        context.forward(new Record<>(stats.tenantId(), alert, record.timestamp()));
    }
}
