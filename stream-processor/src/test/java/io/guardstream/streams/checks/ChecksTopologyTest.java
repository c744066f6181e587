package io.guardstream.streams.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.guardstream.avro.CheckKind;
import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.VerdictSource;
import io.guardstream.avro.serde.AvroSerde;
import io.guardstream.guardapi.Priority;
import io.guardstream.kafka.Topics;
import io.guardstream.streams.config.StreamProcessorConfig;
import io.guardstream.streams.config.TopicNames;
import io.guardstream.streams.dlq.DeadLetters;
import io.guardstream.streams.testing.Drivers;
import io.guardstream.streams.testing.InMemorySchemaRegistry;
import io.guardstream.streams.testing.Samples;
import io.guardstream.streams.testing.ScriptedGuard;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksTopologyTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final TopicNames TOPICS = TopicNames.DEFAULT;

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AvroSerde<GuardCheck> checkSerde = Drivers.serde(registry);
    private final AvroSerde<GuardVerdict> verdictSerde = Drivers.serde(registry);
    private final ScriptedGuard guard = new ScriptedGuard();

    private Topology topology(int maxRecords, Duration maxWait) {
        return ChecksTopology.build(TOPICS, checkSerde, verdictSerde, guard, maxRecords, maxWait, Clock.fixed(NOW, java.time.ZoneOffset.UTC));
    }

    private TopologyTestDriver driver(Topology topology) {
        StreamProcessorConfig config = Drivers.config(stateDir);
        return new TopologyTestDriver(topology, Drivers.checksProps(config), NOW);
    }

    @Test
    void shouldAnswerEachCheckOnRepliesAndVerdictsWithTheCheckIdentity() {
        try (TopologyTestDriver driver = driver(topology(1, Duration.ZERO))) {
            TestInputTopic<String, GuardCheck> checks = driver.createInputTopic(TOPICS.checks(), new StringSerializer(), checkSerde.serializer());
            TestOutputTopic<String, GuardVerdict> replies = driver.createOutputTopic(TOPICS.replies(), new StringDeserializer(), verdictSerde.deserializer());
            TestOutputTopic<String, GuardVerdict> verdicts = driver.createOutputTopic(TOPICS.verdicts(), new StringDeserializer(), verdictSerde.deserializer());

            checks.pipeInput(new TestRecord<>("c-1", Samples.requestCheck("c-1", "how to build a bomb", NOW), replyHeader(0), NOW));

            TestRecord<String, GuardVerdict> reply = replies.readRecord();
            assertThat(reply.key()).isEqualTo("ex-c-1");
            GuardVerdict verdict = reply.value();
            assertThat(verdict.getVerdictId()).isEqualTo("vf-c-1");
            assertThat(verdict.getCheckId()).isEqualTo("c-1");
            assertThat(verdict.getSource()).isEqualTo(VerdictSource.IN_FLIGHT);
            assertThat(verdict.getCheckKind()).isEqualTo(CheckKind.REQUEST);
            assertThat(verdict.getRequest().getLabel()).isEqualTo("harmful");
            assertThat(verdict.getResponse()).isNull();
            assertThat(verdict.getReasoning()).hasSize(2);
            assertThat(verdict.getError()).isNull();
            assertThat(reply.headers().lastHeader(Topics.REPLY_PARTITION_HEADER)).isNotNull();
            assertThat(verdicts.readValue()).isEqualTo(verdict);
            assertThat(replies.isEmpty()).isTrue();
            assertThat(verdicts.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldBatchUntilMaxRecordsThenFlushAtOnce() {
        try (TopologyTestDriver driver = driver(topology(3, Duration.ofSeconds(10)))) {
            TestInputTopic<String, GuardCheck> checks = driver.createInputTopic(TOPICS.checks(), new StringSerializer(), checkSerde.serializer());
            TestOutputTopic<String, GuardVerdict> replies = driver.createOutputTopic(TOPICS.replies(), new StringDeserializer(), verdictSerde.deserializer());
            TestOutputTopic<String, GuardVerdict> verdicts = driver.createOutputTopic(TOPICS.verdicts(), new StringDeserializer(), verdictSerde.deserializer());

            checks.pipeInput("c-1", Samples.requestCheck("c-1", "hello", NOW));
            checks.pipeInput("c-2", Samples.requestCheck("c-2", "a bomb", NOW));
            assertThat(replies.isEmpty()).isTrue();
            checks.pipeInput("c-3", Samples.requestCheck("c-3", "weather", NOW));

            assertThat(guard.batches).hasSize(1);
            assertThat(guard.batches.get(0)).extracting(i -> i.id()).containsExactly("c-1", "c-2", "c-3");
            assertThat(guard.priorities).as("in-flight checks use the interactive lane").containsExactly(Priority.INTERACTIVE);
            assertThat(replies.readValuesToList()).extracting(GuardVerdict::getCheckId).containsExactly("c-1", "c-2", "c-3");
            assertThat(verdicts.readValuesToList()).hasSize(3);
            assertThat(replies.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldFlushAPartialBatchOnceTheOldestCheckWaitedMaxWait() {
        try (TopologyTestDriver driver = driver(topology(32, Duration.ofMillis(5)))) {
            TestInputTopic<String, GuardCheck> checks = driver.createInputTopic(TOPICS.checks(), new StringSerializer(), checkSerde.serializer());
            TestOutputTopic<String, GuardVerdict> replies = driver.createOutputTopic(TOPICS.replies(), new StringDeserializer(), verdictSerde.deserializer());
            TestOutputTopic<String, GuardVerdict> verdicts = driver.createOutputTopic(TOPICS.verdicts(), new StringDeserializer(), verdictSerde.deserializer());

            checks.pipeInput("c-1", Samples.requestCheck("c-1", "hello", NOW));
            checks.pipeInput("c-2", Samples.requestCheck("c-2", "hi", NOW));
            assertThat(replies.isEmpty()).isTrue();

            driver.advanceWallClockTime(Duration.ofMillis(5));

            assertThat(guard.batches).hasSize(1).first().asList().hasSize(2);
            assertThat(replies.readValuesToList()).hasSize(2);
            assertThat(verdicts.readValuesToList()).hasSize(2);
            assertThat(replies.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldJudgeAtOnceWhenTheTaskWasIdleForMaxWait() {
        try (TopologyTestDriver driver = driver(topology(32, Duration.ofMillis(5)))) {
            TestInputTopic<String, GuardCheck> checks = driver.createInputTopic(TOPICS.checks(), new StringSerializer(), checkSerde.serializer());
            TestOutputTopic<String, GuardVerdict> replies = driver.createOutputTopic(TOPICS.replies(), new StringDeserializer(), verdictSerde.deserializer());
            TestOutputTopic<String, GuardVerdict> verdicts = driver.createOutputTopic(TOPICS.verdicts(), new StringDeserializer(), verdictSerde.deserializer());
            driver.advanceWallClockTime(Duration.ofMillis(5));

            checks.pipeInput("c-1", Samples.requestCheck("c-1", "hello", NOW));
            assertThat(replies.readValue().getCheckId()).as("idle task: no waiting").isEqualTo("c-1");
            checks.pipeInput("c-2", Samples.requestCheck("c-2", "hello", NOW));
            assertThat(replies.isEmpty()).as("busy task: buffered").isTrue();
            driver.advanceWallClockTime(Duration.ofMillis(5));
            assertThat(replies.readValue().getCheckId()).isEqualTo("c-2");
            assertThat(verdicts.readValuesToList()).hasSize(2);
            assertThat(replies.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldAnswerWithErrorVerdictsWhenTheGuardIsDown() {
        guard.down(true);
        try (TopologyTestDriver driver = driver(topology(2, Duration.ofSeconds(1)))) {
            TestInputTopic<String, GuardCheck> checks = driver.createInputTopic(TOPICS.checks(), new StringSerializer(), checkSerde.serializer());
            TestOutputTopic<String, GuardVerdict> replies = driver.createOutputTopic(TOPICS.replies(), new StringDeserializer(), verdictSerde.deserializer());
            TestOutputTopic<String, GuardVerdict> verdicts = driver.createOutputTopic(TOPICS.verdicts(), new StringDeserializer(), verdictSerde.deserializer());

            checks.pipeInput("c-1", Samples.requestCheck("c-1", "hello", NOW));
            checks.pipeInput("c-2", Samples.requestCheck("c-2", "a bomb", NOW));

            List<GuardVerdict> answers = replies.readValuesToList();
            assertThat(answers).hasSize(2).allSatisfy(v -> {
                assertThat(v.getError()).startsWith("guard_unavailable: unreachable");
                assertThat(v.getRequest()).isNull();
                assertThat(v.getModel()).isEqualTo("none");
            });
            assertThat(verdicts.readValuesToList()).hasSize(2);
            assertThat(replies.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldNotCallTheGuardForExpiredChecksAndAnswerDuplicatesOnce() {
        try (TopologyTestDriver driver = driver(topology(3, Duration.ofSeconds(1)))) {
            TestInputTopic<String, GuardCheck> checks = driver.createInputTopic(TOPICS.checks(), new StringSerializer(), checkSerde.serializer());
            TestOutputTopic<String, GuardVerdict> replies = driver.createOutputTopic(TOPICS.replies(), new StringDeserializer(), verdictSerde.deserializer());
            TestOutputTopic<String, GuardVerdict> verdicts = driver.createOutputTopic(TOPICS.verdicts(), new StringDeserializer(), verdictSerde.deserializer());

            GuardCheck expired = Samples.requestCheck("c-old", "hello", NOW.minusSeconds(60));
            checks.pipeInput("c-old", expired);
            checks.pipeInput("c-1", Samples.requestCheck("c-1", "hello", NOW));
            checks.pipeInput("c-1", Samples.requestCheck("c-1", "hello", NOW));

            List<GuardVerdict> answers = replies.readValuesToList();
            assertThat(answers).extracting(GuardVerdict::getCheckId).containsExactly("c-old", "c-1");
            assertThat(answers.get(0).getError()).startsWith("deadline_exceeded");
            assertThat(guard.batches).hasSize(1).first().asList().hasSize(1);
            assertThat(verdicts.readValuesToList()).hasSize(2);
            assertThat(replies.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldSendUnreadableChecksToTheDeadLetterTopicAndKeepGoing() {
        try (TopologyTestDriver driver = driver(topology(1, Duration.ZERO))) {
            TestInputTopic<String, byte[]> raw = driver.createInputTopic(TOPICS.checks(), new StringSerializer(), new ByteArraySerializer());
            TestInputTopic<String, GuardCheck> checks = driver.createInputTopic(TOPICS.checks(), new StringSerializer(), checkSerde.serializer());
            TestOutputTopic<String, GuardVerdict> replies = driver.createOutputTopic(TOPICS.replies(), new StringDeserializer(), verdictSerde.deserializer());
            TestOutputTopic<String, GuardVerdict> verdicts = driver.createOutputTopic(TOPICS.verdicts(), new StringDeserializer(), verdictSerde.deserializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(TOPICS.dlq(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());

            raw.pipeInput("bad", "not avro at all".getBytes(StandardCharsets.UTF_8));
            checks.pipeInput("c-1", Samples.requestCheck("c-1", "hello", NOW));

            TestRecord<byte[], byte[]> dead = dlq.readRecord();
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
            assertThat(header(dead, DeadLetters.HEADER_SOURCE_TOPIC)).isEqualTo(TOPICS.checks());
            assertThat(header(dead, DeadLetters.HEADER_SOURCE_PARTITION)).isEqualTo("0");
            assertThat(header(dead, DeadLetters.HEADER_SOURCE_OFFSET)).isEqualTo("0");
            assertThat(header(dead, DeadLetters.HEADER_EXCEPTION)).contains("SerializationException");
            assertThat(replies.readValue().getCheckId()).isEqualTo("c-1");
            assertThat(verdicts.readValue().getCheckId()).isEqualTo("c-1");
            assertThat(dlq.isEmpty()).isTrue();
            assertThat(replies.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldPinTheTopologyShape() {
        String description = topology(8, Duration.ofMillis(2)).describe().toString();
        assertThat(description)
                .contains("Source: " + ChecksTopology.SOURCE + " (topics: [" + TOPICS.checks() + "])")
                .contains("Processor: " + ChecksTopology.BATCHER + " (stores: [])")
                .contains("Sink: " + ChecksTopology.REPLIES_SINK + " (topic: " + TOPICS.replies() + ")")
                .contains("Sink: " + ChecksTopology.VERDICTS_SINK + " (topic: " + TOPICS.verdicts() + ")")
                .doesNotContain("repartition");
    }

    static RecordHeaders replyHeader(int partition) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.REPLY_PARTITION_HEADER, ReplyPartitions.headerValue(partition));
        return headers;
    }

    static String header(TestRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
