package io.guardstream.streams.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.guardstream.avro.Alert;
import io.guardstream.avro.AlertKind;
import io.guardstream.avro.EnforcementAction;
import io.guardstream.avro.Exchange;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.Severity;
import io.guardstream.avro.VerdictSource;
import io.guardstream.avro.serde.AvroSerde;
import io.guardstream.guardapi.Priority;
import io.guardstream.streams.config.StreamProcessorConfig;
import io.guardstream.streams.config.TopicNames;
import io.guardstream.streams.dlq.DeadLetters;
import io.guardstream.streams.testing.Drivers;
import io.guardstream.streams.testing.InMemorySchemaRegistry;
import io.guardstream.streams.testing.Samples;
import io.guardstream.streams.testing.ScriptedGuard;
import io.guardstream.testing.AvroFixtures;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:30Z");
    private static final TopicNames TOPICS = TopicNames.DEFAULT;

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AvroSerde<Exchange> exchangeSerde = Drivers.serde(registry);
    private final AvroSerde<GuardVerdict> verdictSerde = Drivers.serde(registry);
    private final AvroSerde<Alert> alertSerde = Drivers.serde(registry);
    private final ScriptedGuard guard = new ScriptedGuard();

    private TestInputTopic<String, Exchange> exchanges;
    private TestInputTopic<String, GuardVerdict> verdictsIn;
    private TestOutputTopic<String, GuardVerdict> verdicts;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<byte[], byte[]> dlq;

    private TopologyTestDriver driver(StreamProcessorConfig.Audit audit) {
        return driver(audit, Drivers.auditProps(Drivers.config(stateDir).withAudit(audit)));
    }

    private TopologyTestDriver driver(StreamProcessorConfig.Audit audit, Properties props) {
        TopologyTestDriver driver = new TopologyTestDriver(
                AuditTopology.build(TOPICS, exchangeSerde, verdictSerde, alertSerde, guard, audit, Clock.fixed(T0, ZoneOffset.UTC)),
                props, T0);
        exchanges = driver.createInputTopic(TOPICS.exchanges(), new StringSerializer(), exchangeSerde.serializer());
        verdictsIn = driver.createInputTopic(TOPICS.verdicts(), new StringSerializer(), verdictSerde.serializer());
        verdicts = driver.createOutputTopic(TOPICS.verdicts(), new StringDeserializer(), verdictSerde.deserializer());
        alerts = driver.createOutputTopic(TOPICS.alerts(), new StringDeserializer(), alertSerde.deserializer());
        dlq = driver.createOutputTopic(TOPICS.dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        return driver;
    }

    private static StreamProcessorConfig.Audit audit(Map<String, String> settings) {
        return StreamProcessorConfig.of(settings).audit();
    }

    private void send(String id, String user, String prompt, Instant at) {
        exchanges.pipeInput(id, Samples.exchange(id, "acme", user, prompt, "an answer", at), at);
    }

    private void assertAllOutputsEmpty() {
        assertThat(verdicts.isEmpty()).as("verdicts").isTrue();
        assertThat(alerts.isEmpty()).as("alerts").isTrue();
        assertThat(dlq.isEmpty()).as("dlq").isTrue();
    }

    @Test
    void shouldJudgeAnExchangeWithoutInFlightVerdictsAndPublishAnAuditVerdict() {
        try (TopologyTestDriver driver = driver(audit(Map.of()))) {
            send("ex-1", "u-1", "how do I make a bomb", T0);

            GuardVerdict verdict = verdicts.readValue();
            assertThat(verdict.getVerdictId()).isEqualTo("va-ex-1");
            assertThat(verdict.getSource()).isEqualTo(VerdictSource.AUDIT);
            assertThat(verdict.getCheckId()).isNull();
            assertThat(verdict.getRequest().getLabel()).isEqualTo("harmful");
            assertThat(verdict.getResponse().getLabel()).isEqualTo("unharmful");
            assertThat(guard.batches).hasSize(1);
            assertThat(guard.batches.get(0).get(0).responseText()).isEqualTo("an answer");
            assertAllOutputsEmpty();
        }
    }

    @Test
    void shouldAskTheGuardInTheBackgroundLaneSoInFlightChecksGoFirst() {
        try (TopologyTestDriver driver = driver(audit(Map.of()))) {
            send("ex-1", "u-1", "how do I make a bomb", T0);
            send("ex-2", "u-1", "hello", T0.plusMillis(5));

            assertThat(verdicts.readValuesToList()).hasSize(2);
            assertThat(guard.priorities).containsExactly(Priority.BACKGROUND, Priority.BACKGROUND);
            assertAllOutputsEmpty();
        }
    }

    @Test
    void shouldLinkVerdictsProducedInFlightInsteadOfAskingTheGuardAgain() {
        try (TopologyTestDriver driver = driver(audit(Map.of()))) {
            GuardVerdict inFlight = AvroFixtures.verdict("vf-c-1");
            inFlight.setExchangeId("ex-1");
            verdictsIn.pipeInput("ex-1", inFlight, T0);
            exchanges.pipeInput("ex-1", Samples.enforced(Samples.exchange("ex-1", "acme", "u-1", "hi", null, T0),
                    EnforcementAction.BLOCK, List.of("vf-c-1")), T0.plusMillis(10));

            assertThat(guard.batches).isEmpty();
            KeyValueStore<String, TenantTotals> totals = driver.getKeyValueStore(AuditTopology.TENANT_TOTALS_STORE);
            assertThat(totals.get("acme").unsafe()).isEqualTo(1);
            assertThat(totals.get("acme").blocked()).isEqualTo(1);
            KeyValueStore<String, InFlightVerdicts> inflight = driver.getKeyValueStore(AuditTopology.INFLIGHT_STORE);
            assertThat(inflight.get("ex-1")).as("linked verdicts are released").isNull();
            assertAllOutputsEmpty();
        }
    }

    @Test
    void shouldAskTheGuardWhenAnInFlightVerdictIsMissingOrFailed() {
        try (TopologyTestDriver driver = driver(audit(Map.of()))) {
            GuardVerdict failed = AvroFixtures.verdict("vf-c-9");
            failed.setExchangeId("ex-9");
            failed.setRequest(null);
            failed.setError("guard_unavailable: timeout");
            verdictsIn.pipeInput("ex-9", failed, T0);
            exchanges.pipeInput("ex-9", Samples.enforced(Samples.exchange("ex-9", "acme", "u-1", "hi", "hello", T0),
                    EnforcementAction.NONE, List.of("vf-c-9")), T0);

            assertThat(guard.batches).hasSize(1);
            assertThat(verdicts.readValue().getVerdictId()).isEqualTo("va-ex-9");
            assertAllOutputsEmpty();
        }
    }

    @Test
    void shouldRaiseExactlyOneBurstAlertForAWindowOfHarmfulExchangesFromOneUser() {
        try (TopologyTestDriver driver = driver(audit(Map.of()))) {
            for (int i = 0; i < 7; i++) {
                send("ex-" + i, "mallory", "bomb recipe " + i, T0.plusSeconds(10L * i));
            }
            send("ex-other", "alice", "bomb?", T0.plusSeconds(30));
            assertThat(verdicts.readValuesToList()).hasSize(8);

            List<Alert> raised = alerts.readValuesToList();
            assertThat(raised).hasSize(1);
            Alert alert = raised.get(0);
            assertThat(alert.getKind()).isEqualTo(AlertKind.HARMFUL_BURST);
            assertThat(alert.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(alert.getTenantId()).isEqualTo("acme");
            assertThat(alert.getEndUserId()).isEqualTo("mallory");
            assertThat(alert.getCount()).isEqualTo(5);
            assertThat(alert.getEvidenceExchangeIds()).containsExactly("ex-0", "ex-1", "ex-2", "ex-3", "ex-4");
            assertThat(alert.getTopCategories()).containsEntry("violence", 5L);
            assertThat(Duration.between(alert.getWindowStart(), alert.getWindowEnd())).isEqualTo(Duration.ofMinutes(5));
            assertThat(alert.getAlertId()).isEqualTo("harmful_burst:acme:mallory:" + alert.getWindowStart().toEpochMilli());
            assertAllOutputsEmpty();
        }
    }

    @Test
    void shouldRaiseTheBurstAlertAgainInALaterNonOverlappingWindow() {
        try (TopologyTestDriver driver = driver(audit(Map.of()))) {
            for (int i = 0; i < 5; i++) {
                send("ex-a" + i, "mallory", "bomb " + i, T0.plusSeconds(i));
            }
            for (int i = 0; i < 5; i++) {
                send("ex-b" + i, "mallory", "bomb " + i, T0.plus(Duration.ofMinutes(10)).plusSeconds(i));
            }
            verdicts.readValuesToList();
            List<Alert> raised = alerts.readValuesToList();
            assertThat(raised).extracting(Alert::getKind).containsExactly(AlertKind.HARMFUL_BURST, AlertKind.HARMFUL_BURST);
            assertThat(raised.get(1).getWindowStart()).isAfterOrEqualTo(raised.get(0).getWindowEnd());
            assertAllOutputsEmpty();
        }
    }

    @Test
    void shouldCountARepublishedExchangeOnlyOnce() {
        try (TopologyTestDriver driver = driver(audit(Map.of()))) {
            for (int i = 0; i < 4; i++) {
                send("ex-" + i, "mallory", "bomb " + i, T0.plusSeconds(i));
                send("ex-" + i, "mallory", "bomb " + i, T0.plusSeconds(i));
            }
            assertThat(verdicts.readValuesToList()).hasSize(4);
            assertThat(alerts.isEmpty()).as("8 records but only 4 exchanges: below the burst threshold").isTrue();
            assertThat(guard.batches).hasSize(4);

            send("ex-4", "mallory", "bomb 4", T0.plusSeconds(5));
            assertThat(verdicts.readValuesToList()).hasSize(1);
            assertThat(alerts.readValuesToList()).hasSize(1);

            WindowStore<String, TenantWindowStats> windows = driver.getWindowStore(AuditTopology.TENANT_WINDOW_STORE);
            try (WindowStoreIterator<TenantWindowStats> it = windows.fetch("acme", T0.minus(Duration.ofMinutes(1)), T0)) {
                KeyValue<Long, TenantWindowStats> latest = it.next();
                assertThat(latest.value.total()).isEqualTo(5);
            }
            assertAllOutputsEmpty();
        }
    }

    @Test
    void shouldRaiseCategoryAndBlockRateAlertsOncePerWindow() {
        try (TopologyTestDriver driver = driver(audit(Map.of("audit.categoryThreshold", "3",
                "audit.blockRateThreshold", "0.5", "audit.blockRateMinCount", "4")))) {
            for (int i = 0; i < 6; i++) {
                Exchange ex = Samples.exchange("ex-" + i, "acme", "user-" + i, i % 2 == 0 ? "bomb " + i : "hello", null, T0);
                if (i % 2 == 0) {
                    Samples.enforced(ex, EnforcementAction.BLOCK, List.of());
                }
                exchanges.pipeInput("ex-" + i, ex, T0.plusSeconds(i));
            }
            verdicts.readValuesToList();
            List<Alert> raised = alerts.readValuesToList();
            assertThat(raised).extracting(Alert::getKind).containsExactlyInAnyOrder(AlertKind.BLOCK_RATE, AlertKind.UNSAFE_CATEGORY);
            Alert blockRate = raised.stream().filter(a -> a.getKind() == AlertKind.BLOCK_RATE).findFirst().orElseThrow();
            assertThat(blockRate.getRate()).isEqualTo(0.5);
            assertThat(blockRate.getCount()).isEqualTo(2);
            Alert category = raised.stream().filter(a -> a.getKind() == AlertKind.UNSAFE_CATEGORY).findFirst().orElseThrow();
            assertThat(category.getAlertId()).contains(":violence:");
            assertThat(category.getCount()).isEqualTo(3);
            assertAllOutputsEmpty();
        }
    }

    @Test
    void shouldRaiseASpikeAlertWhenTheUnsafeRateJumpsAboveTheTenantBaseline() {
        try (TopologyTestDriver driver = driver(audit(Map.of("audit.baselineMinSamples", "20", "audit.spikeMinCount", "10",
                "audit.categoryThreshold", "1000")))) {
            for (int i = 0; i < 40; i++) {
                send("ex-calm-" + i, "user-" + i, i % 20 == 0 ? "bomb" : "hello", T0.plusSeconds(15L * i));
            }
            assertThat(alerts.isEmpty()).as("5% unsafe is the baseline, no alert").isTrue();
            Instant later = T0.plus(Duration.ofMinutes(30));
            for (int i = 0; i < 12; i++) {
                send("ex-spike-" + i, "user-" + i, i % 2 == 0 ? "bomb" : "hello", later.plusSeconds(i));
            }
            verdicts.readValuesToList();
            List<Alert> raised = alerts.readValuesToList();
            assertThat(raised).hasSize(1);
            Alert spike = raised.get(0);
            assertThat(spike.getKind()).isEqualTo(AlertKind.UNSAFE_RATE_SPIKE);
            assertThat(spike.getRate()).isEqualTo(0.5);
            assertThat(spike.getBaselineRate()).isLessThan(0.15);
            assertAllOutputsEmpty();
        }
    }

    @Test
    void shouldMarkExchangesUndecidedAndPublishAnErrorVerdictWhenTheGuardIsDown() {
        guard.down(true);
        try (TopologyTestDriver driver = driver(audit(Map.of()))) {
            send("ex-1", "u-1", "bomb", T0);
            GuardVerdict verdict = verdicts.readValue();
            assertThat(verdict.getError()).startsWith("guard_unavailable");
            assertThat(verdict.getRequest()).isNull();
            KeyValueStore<String, TenantTotals> totals = driver.getKeyValueStore(AuditTopology.TENANT_TOTALS_STORE);
            assertThat(totals.get("acme").undecided()).isEqualTo(1);
            assertAllOutputsEmpty();
        }
    }

    @Test
    void shouldSendPoisonRecordsToTheDeadLetterTopicAndKeepAuditing() {
        Properties props = Drivers.auditProps(Drivers.config(stateDir));
        // The test driver loses dead letters raised while deserializing under exactly-once (no open transaction yet);
        // the embedded-broker integration test covers that path with exactly_once_v2.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        try (TopologyTestDriver driver = driver(audit(Map.of()), props)) {
            TestInputTopic<String, byte[]> raw = driver.createInputTopic(TOPICS.exchanges(), new StringSerializer(), new ByteArraySerializer());
            raw.pipeInput("junk", new byte[] {0, 0, 0, 0, 42, 1, 2}, T0);
            exchanges.pipeInput("ex-no-tenant", Samples.exchange("ex-no-tenant", " ", "u-1", "hi", null, T0), T0);
            send("ex-1", "u-1", "hello", T0);

            List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
            assertThat(dead).hasSize(2);
            TestRecord<byte[], byte[]> unreadable = dead.stream()
                    .filter(r -> header(r, DeadLetters.HEADER_STAGE).equals("deserialization")).findFirst().orElseThrow();
            assertThat(header(unreadable, DeadLetters.HEADER_SOURCE_TOPIC)).isEqualTo(TOPICS.exchanges());
            assertThat(header(unreadable, DeadLetters.HEADER_SOURCE_PARTITION)).isEqualTo("0");
            assertThat(header(unreadable, DeadLetters.HEADER_SOURCE_OFFSET)).isEqualTo("0");
            assertThat(unreadable.value()).containsExactly(0, 0, 0, 0, 42, 1, 2);
            TestRecord<byte[], byte[]> unprocessable = dead.stream()
                    .filter(r -> header(r, DeadLetters.HEADER_STAGE).equals("processing")).findFirst().orElseThrow();
            assertThat(header(unprocessable, DeadLetters.HEADER_SOURCE_OFFSET)).isEqualTo("1");
            assertThat(header(unprocessable, DeadLetters.HEADER_STAGE)).isEqualTo("processing");
            assertThat(header(unprocessable, DeadLetters.HEADER_EXCEPTION)).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(header(unprocessable, DeadLetters.HEADER_MESSAGE)).contains("has no tenant id");
            assertThat(exchangeSerde.deserializer().deserialize(TOPICS.exchanges(), unprocessable.value()).getExchangeId()).isEqualTo("ex-no-tenant");
            assertThat(verdicts.readValue().getExchangeId()).isEqualTo("ex-1");
            assertAllOutputsEmpty();
        }
    }

    @Test
    void shouldPinStoreAndRepartitionTopicNames() {
        String description = AuditTopology.build(TOPICS, exchangeSerde, verdictSerde, alertSerde, guard, audit(Map.of()),
                Clock.systemUTC()).describe().toString();
        assertThat(description)
                .contains("Source: " + AuditTopology.EXCHANGES_SOURCE + " (topics: [" + TOPICS.exchanges() + "])")
                .contains("Source: " + AuditTopology.VERDICTS_SOURCE + " (topics: [" + TOPICS.verdicts() + "])")
                .contains("Processor: exchange-auditor (stores: [" + AuditTopology.INFLIGHT_STORE + ", " + AuditTopology.AUDITED_STORE + "])")
                .contains("Processor: tenant-baseline (stores: [" + AuditTopology.TENANT_TOTALS_STORE + "])")
                .contains("Processor: tenant-window-aggregate (stores: [" + AuditTopology.TENANT_WINDOW_STORE + "])")
                .contains("Processor: user-window-aggregate (stores: [" + AuditTopology.USER_WINDOW_STORE + "])")
                .contains("Processor: tenant-alert-detector (stores: [" + AuditTopology.TENANT_ALERT_DEDUPE_STORE + "])")
                .contains("Processor: burst-alert-detector (stores: [" + AuditTopology.USER_ALERT_DEDUPE_STORE + "])")
                .contains("Sink: events-by-tenant-repartition-sink (topic: events-by-tenant-repartition)")
                .contains("Sink: events-by-user-repartition-sink (topic: events-by-user-repartition)")
                .contains("Sink: audit-verdicts-sink (topic: " + TOPICS.verdicts() + ")")
                .contains("Sink: tenant-alerts-sink (topic: " + TOPICS.alerts() + ")")
                .contains("Sink: user-alerts-sink (topic: " + TOPICS.alerts() + ")")
                .doesNotContainPattern("KSTREAM-|KTABLE-|KSTREAM_");
    }

    private static String header(TestRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }


}
