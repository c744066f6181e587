package io.guardstream.streams.audit;

import java.time.Clock;

import io.guardstream.avro.Alert;
import io.guardstream.avro.Exchange;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.streams.config.StreamProcessorConfig;
import io.guardstream.streams.config.TopicNames;
import io.guardstream.streams.guard.GuardClient;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The {@code audit} app: every exchange gets a decision (linked from in-flight verdicts, or a new guard verdict
 * to {@code guard.verdicts.v1}); decisions feed hopping-window aggregations per tenant and per end user, which
 * raise {@link Alert}s to {@code guard.alerts.v1} once per window.
 *
 * <p>{@code guard.exchanges.v1} and {@code guard.verdicts.v1} must have the same partition count: both are keyed
 * by exchange id and meet in one task.
 */
public final class AuditTopology {

    public static final String EXCHANGES_SOURCE = "exchanges-source";
    public static final String VERDICTS_SOURCE = "verdicts-source";
    public static final String INFLIGHT_STORE = "inflight-verdicts";
    public static final String AUDITED_STORE = "audited-exchanges";
    public static final String TENANT_TOTALS_STORE = "tenant-totals";
    public static final String TENANT_WINDOW_STORE = "tenant-window-stats";
    public static final String USER_WINDOW_STORE = "user-window-stats";
    public static final String TENANT_ALERT_DEDUPE_STORE = "tenant-alert-dedupe";
    public static final String USER_ALERT_DEDUPE_STORE = "user-alert-dedupe";
    public static final String EVENTS_BY_TENANT = "events-by-tenant";
    public static final String EVENTS_BY_USER = "events-by-user";

    private AuditTopology() {
    }

    /** An audited exchange: the event for aggregation, and the verdict produced for it, if any. */
    public record AuditResult(AuditEvent event, GuardVerdict verdict) {
    }

    public static Topology build(TopicNames topics, Serde<Exchange> exchangeSerde, Serde<GuardVerdict> verdictSerde,
                                 Serde<Alert> alertSerde, GuardClient guard, StreamProcessorConfig.Audit config, Clock clock) {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<String> strings = Serdes.String();
        JsonSerde<AuditEvent> eventSerde = new JsonSerde<>(AuditEvent.class);

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INFLIGHT_STORE), strings,
                new JsonSerde<>(InFlightVerdicts.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AUDITED_STORE), strings, Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TENANT_TOTALS_STORE), strings,
                new JsonSerde<>(TenantTotals.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TENANT_ALERT_DEDUPE_STORE), strings, Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(USER_ALERT_DEDUPE_STORE), strings, Serdes.Long()));

        builder.stream(topics.verdicts(), Consumed.with(strings, verdictSerde).withName(VERDICTS_SOURCE))
                .process(() -> new InFlightVerdictCollector(config.inflightRetention()), Named.as("inflight-collector"), INFLIGHT_STORE);

        KStream<String, AuditResult> audited = builder.stream(topics.exchanges(), Consumed.with(strings, exchangeSerde).withName(EXCHANGES_SOURCE))
                .process(() -> new ExchangeAuditor(guard, config.categoryScoreThreshold(), config.inflightRetention(), clock),
                        Named.as("exchange-auditor"), INFLIGHT_STORE, AUDITED_STORE);

        audited.filter((k, r) -> r.verdict() != null, Named.as("has-audit-verdict"))
                .mapValues(AuditResult::verdict, Named.as("audit-verdict"))
                .to(topics.verdicts(), Produced.with(strings, verdictSerde).withName("audit-verdicts-sink"));

        KStream<String, AuditEvent> events = audited.mapValues(AuditResult::event, Named.as("audit-event"));

        events.selectKey((k, e) -> e.tenantId(), Named.as("key-by-tenant"))
                .repartition(Repartitioned.with(strings, eventSerde).withName(EVENTS_BY_TENANT))
                .process(() -> new BaselineEnricher(config.baselineAlpha()), Named.as("tenant-baseline"), TENANT_TOTALS_STORE)
                .groupByKey(Grouped.with("tenant-group", strings, eventSerde))
                .windowedBy(TimeWindows.ofSizeAndGrace(config.windowSize(), config.grace()).advanceBy(config.windowAdvance()))
                .aggregate(TenantWindowStats::empty, (tenant, event, stats) -> stats.plus(event), Named.as("tenant-window-aggregate"),
                        Materialized.<String, TenantWindowStats, WindowStore<Bytes, byte[]>>as(TENANT_WINDOW_STORE)
                                .withKeySerde(strings).withValueSerde(new JsonSerde<>(TenantWindowStats.class)))
                .toStream(Named.as("tenant-window-updates"))
                .process(() -> new TenantAlertDetector(config, clock), Named.as("tenant-alert-detector"), TENANT_ALERT_DEDUPE_STORE)
                .to(topics.alerts(), Produced.with(strings, alertSerde).withName("tenant-alerts-sink"));

        events.filter((k, e) -> e.unsafe() && e.endUserId() != null && !e.endUserId().isBlank(), Named.as("unsafe-with-user"))
                .selectKey((k, e) -> userKey(e.tenantId(), e.endUserId()), Named.as("key-by-user"))
                .repartition(Repartitioned.with(strings, eventSerde).withName(EVENTS_BY_USER))
                .groupByKey(Grouped.with("user-group", strings, eventSerde))
                .windowedBy(TimeWindows.ofSizeAndGrace(config.burstWindow(), config.grace()).advanceBy(config.burstAdvance()))
                .aggregate(UserWindowStats::empty, (user, event, stats) -> stats.plus(event), Named.as("user-window-aggregate"),
                        Materialized.<String, UserWindowStats, WindowStore<Bytes, byte[]>>as(USER_WINDOW_STORE)
                                .withKeySerde(strings).withValueSerde(new JsonSerde<>(UserWindowStats.class)))
                .toStream(Named.as("user-window-updates"))
                .process(() -> new BurstAlertDetector(config, clock), Named.as("burst-alert-detector"), USER_ALERT_DEDUPE_STORE)
                .to(topics.alerts(), Produced.with(strings, alertSerde).withName("user-alerts-sink"));

        return builder.build();
    }

    static String userKey(String tenant, String user) {
        return tenant + "|" + user;
    }

}
