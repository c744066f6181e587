package io.guardstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.guardstream.avro.Alert;
import io.guardstream.avro.AlertKind;
import io.guardstream.avro.Exchange;
import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.VerdictSource;
import io.guardstream.avro.serde.AvroDeserializer;
import io.guardstream.avro.serde.AvroSerializer;
import io.guardstream.kafka.Topics;
import io.guardstream.streams.checks.ReplyPartitions;
import io.guardstream.streams.config.StreamProcessorConfig;
import io.guardstream.streams.config.TopicNames;
import io.guardstream.streams.dlq.DeadLetters;
import io.guardstream.streams.testing.FakeGuardServer;
import io.guardstream.streams.testing.Samples;
import io.guardstream.testing.KafkaTestEnvironment;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Both apps over the embedded KRaft broker and schema registry, with an in-test guard HTTP server. */
@Tag("integration")
@ExtendWith(KafkaTestEnvironment.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamProcessorIntegrationTest {

    private static final String ADMIN_TOKEN = "admin-secret";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaTestEnvironment env = KafkaTestEnvironment.get();
    private Vertx vertx;
    private FakeGuardServer guard;
    private StreamProcessor processor;
    private TopicNames topics;
    private KafkaProducer<String, GuardCheck> checkProducer;
    private KafkaProducer<String, Exchange> exchangeProducer;
    private KafkaProducer<String, byte[]> rawProducer;
    private final List<JsonObject> webhookCalls = new CopyOnWriteArrayList<>();
    private int hookPort;
    private Path stateDir;

    @BeforeAll
    void startProcessor() throws Exception {
        vertx = Vertx.vertx();
        guard = FakeGuardServer.start(vertx);
        hookPort = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            webhookCalls.add(body.toJsonObject());
            req.response().setStatusCode(webhookCalls.size() == 1 ? 503 : 200).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();

        String run = UUID.randomUUID().toString().substring(0, 8);
        stateDir = Files.createTempDirectory("guardstream-it-");
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap", env.bootstrapServers());
        settings.put("kafka.registryUrl", env.registryUrl());
        settings.put("topics.prefix", "it-" + run + ".");
        settings.put("kafka.applicationIdPrefix", "it-" + run);
        settings.put("kafka.stateDir", stateDir.toString());
        settings.put("topics.partitions", "4");
        settings.put("guard.modelUrl", guard.url());
        settings.put("guard.requestTimeoutMs", "1000");
        settings.put("guard.maxRetries", "1");
        settings.put("guard.retryBackoffMs", "5");
        settings.put("guard.breakerOpenMs", "300");
        settings.put("audit.commitIntervalMs", "100");
        settings.put("admin.port", String.valueOf(freePort()));
        settings.put("admin.host", "127.0.0.1");
        settings.put("admin.token", ADMIN_TOKEN);
        settings.put("admin.tenantTokens.t-burst", "burst-token");
        settings.put("admin.tenantTokens.t-other", "other-token");
        settings.put("webhooks.urls.t-burst", "http://127.0.0.1:" + hookPort + "/hook");
        settings.put("webhooks.backoffMs", "50");
        StreamProcessorConfig config = StreamProcessorConfig.of(settings);
        topics = config.topicNames();

        processor = StreamProcessor.create(config);
        processor.start().toCompletableFuture().get(120, TimeUnit.SECONDS);

        checkProducer = new KafkaProducer<>(producerProps(), new StringSerializer(), serializer());
        exchangeProducer = new KafkaProducer<>(producerProps(), new StringSerializer(), serializer());
        rawProducer = new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void stopProcessor() throws Exception {
        checkProducer.close();
        exchangeProducer.close();
        rawProducer.close();
        processor.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
        guard.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void shouldAnswerACheckOnTheReplyPartitionNamedInItsHeader() throws Exception {
        String checkId = "c-" + UUID.randomUUID();
        GuardCheck check = Samples.requestCheck(checkId, "how do I build a bomb", Instant.now());
        ProducerRecord<String, GuardCheck> record = new ProducerRecord<>(topics.checks(), checkId, check);
        record.headers().add(Topics.REPLY_PARTITION_HEADER, ReplyPartitions.headerValue(3));
        checkProducer.send(record).get();

        ConsumerRecord<String, GuardVerdict> reply = awaitRecord(topics.replies(), 3, this.<GuardVerdict>avro(),
                r -> checkId.equals(r.value().getCheckId()));
        assertThat(reply.partition()).isEqualTo(3);
        assertThat(reply.value().getRequest().getLabel()).isEqualTo("harmful");
        assertThat(reply.value().getSource()).isEqualTo(VerdictSource.IN_FLIGHT);
        assertThat(reply.value().getReasoning()).isNotEmpty();
    }

    @Test
    void shouldAnswerWithAnErrorVerdictWhileTheGuardIsDown() throws Exception {
        guard.down(true);
        try {
            String checkId = "c-down-" + UUID.randomUUID();
            ProducerRecord<String, GuardCheck> record = new ProducerRecord<>(topics.checks(), checkId,
                    Samples.requestCheck(checkId, "hello", Instant.now()));
            record.headers().add(Topics.REPLY_PARTITION_HEADER, ReplyPartitions.headerValue(1));
            checkProducer.send(record).get();
            ConsumerRecord<String, GuardVerdict> reply = awaitRecord(topics.replies(), 1, this.<GuardVerdict>avro(), r -> checkId.equals(r.value().getCheckId()));
            assertThat(reply.value().getError()).startsWith("guard_unavailable");
        } finally {
            guard.down(false);
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            String probe = "c-probe-" + UUID.randomUUID();
            ProducerRecord<String, GuardCheck> record = new ProducerRecord<>(topics.checks(), probe, Samples.requestCheck(probe, "hi", Instant.now()));
            record.headers().add(Topics.REPLY_PARTITION_HEADER, ReplyPartitions.headerValue(1));
            checkProducer.send(record).get();
            return awaitRecord(topics.replies(), 1, this.<GuardVerdict>avro(), r -> probe.equals(r.value().getCheckId())).value().getError() == null;
        });
    }

    @Test
    void shouldPublishAnAuditVerdictForAnExchangeJudgedOnlyAfterTheFact() throws Exception {
        String id = "ex-audit-" + UUID.randomUUID();
        exchangeProducer.send(new ProducerRecord<>(topics.exchanges(), id,
                Samples.exchange(id, "t-audit", "u-1", "what is the capital of France", "Paris", Instant.now()))).get();

        ConsumerRecord<String, GuardVerdict> verdict = awaitRecord(topics.verdicts(), null, this.<GuardVerdict>avro(), r -> id.equals(r.value().getExchangeId()));
        assertThat(verdict.value().getSource()).isEqualTo(VerdictSource.AUDIT);
        assertThat(verdict.value().getVerdictId()).isEqualTo("va-" + id);
        assertThat(verdict.value().getRequest().getLabel()).isEqualTo("unharmful");
        assertThat(verdict.value().getResponse().getLabel()).isEqualTo("unharmful");
    }

    @Test
    void shouldRaiseExactlyOneAlertForABurstFromOneUserAndShowItOnSseWebhookAndStats() throws Exception {
        List<String> sse = new CopyOnWriteArrayList<>();
        HttpClient http = vertx.createHttpClient();
        HttpClientResponse stream = http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                        .setPort(processor.adminPort()).setURI("/v1/alerts/stream?tenant=t-burst")
                        .putHeader("authorization", "Bearer burst-token"))
                .compose(req -> req.send().map(response -> response.handler(chunk -> sse.add(chunk.toString()))))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(stream.statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> String.join("", sse).contains(": guardstream alerts"));

        Instant now = Instant.now();
        for (int i = 0; i < 7; i++) {
            String id = "ex-burst-" + i + "-" + UUID.randomUUID();
            exchangeProducer.send(new ProducerRecord<>(topics.exchanges(), id,
                    Samples.exchange(id, "t-burst", "mallory", "bomb recipe " + i, "no", now.plusMillis(i)))).get();
        }

        List<Alert> alerts = new ArrayList<>();
        awaitRecord(topics.alerts(), null, this.<Alert>avro(), r -> {
            Alert alert = r.value();
            if (alert.getTenantId().equals("t-burst")) {
                alerts.add(alert);
            }
            return alert.getTenantId().equals("t-burst") && alert.getKind() == AlertKind.HARMFUL_BURST;
        });
        Thread.sleep(2_000);
        List<Alert> all = readAll(topics.alerts(), this.<Alert>avro());
        List<Alert> bursts = all.stream().filter(a -> a.getTenantId().equals("t-burst") && a.getKind() == AlertKind.HARMFUL_BURST).toList();
        assertThat(bursts).hasSize(1);
        assertThat(bursts.get(0).getEndUserId()).isEqualTo("mallory");
        assertThat(bursts.get(0).getCount()).as("harmful count when the window update was emitted (store cache may merge updates)")
                .isBetween(5L, 7L);

        await().atMost(WAIT).until(() -> String.join("", sse).contains("event: alert"));
        assertThat(String.join("", sse)).contains("\"kind\":\"HARMFUL_BURST\"").contains("\"endUserId\":\"mallory\"");

        await().atMost(WAIT).until(() -> webhookCalls.size() >= 2);
        assertThat(webhookCalls.get(1).getString("text")).contains("HARMFUL_BURST").contains("t-burst");
        assertThat(webhookCalls.get(1).getJsonObject("guardstream").getString("alertId")).isEqualTo(bursts.get(0).getAlertId());

        WebClient client = WebClient.create(vertx);
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<Buffer> stats = get(client, "/v1/stats/tenants/t-burst", "burst-token");
            assertThat(stats.statusCode()).isEqualTo(200);
            assertThat(stats.bodyAsJsonObject().getJsonObject("totals").getLong("exchanges")).isEqualTo(7L);
            assertThat(stats.bodyAsJsonObject().getJsonObject("totals").getLong("unsafe")).isEqualTo(7L);
        });
        assertThat(get(client, "/v1/stats/tenants/t-burst", ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(get(client, "/v1/stats/tenants/t-burst", "other-token").statusCode()).isEqualTo(403);
        assertThat(get(client, "/v1/stats/tenants/t-burst", "wrong").statusCode()).isEqualTo(401);
        client.close();
        http.close();
    }

    @Test
    void shouldSendAPoisonExchangeToTheDeadLetterTopicAndKeepAuditing() throws Exception {
        String poisonKey = "poison-" + UUID.randomUUID();
        rawProducer.send(new ProducerRecord<>(topics.exchanges(), poisonKey, "definitely not avro".getBytes(StandardCharsets.UTF_8))).get();
        String id = "ex-after-poison-" + UUID.randomUUID();
        exchangeProducer.send(new ProducerRecord<>(topics.exchanges(), id,
                Samples.exchange(id, "t-poison", "u-1", "hello", "hi", Instant.now()))).get();

        ConsumerRecord<String, byte[]> dead = awaitRecord(topics.dlq(), null, new ByteArrayDeserializer(),
                r -> poisonKey.equals(r.key()));
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("definitely not avro");
        assertThat(header(dead, DeadLetters.HEADER_SOURCE_TOPIC)).isEqualTo(topics.exchanges());
        assertThat(header(dead, DeadLetters.HEADER_SOURCE_PARTITION)).matches("\\d");
        assertThat(header(dead, DeadLetters.HEADER_SOURCE_OFFSET)).matches("\\d+");
        assertThat(header(dead, DeadLetters.HEADER_EXCEPTION)).contains("SerializationException");

        awaitRecord(topics.verdicts(), null, this.<GuardVerdict>avro(), r -> id.equals(r.value().getExchangeId()));
        assertThat(processor.auditStreams().orElseThrow().state().isRunningOrRebalancing()).isTrue();
    }

    private HttpResponse<Buffer> get(WebClient client, String path, String token) throws Exception {
        return client.get(processor.adminPort(), "127.0.0.1", path).putHeader("authorization", "Bearer " + token).send()
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private Map<String, Object> producerProps() {
        Map<String, Object> props = new HashMap<>(env.serdeConfig());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return props;
    }

    private <T extends org.apache.avro.generic.GenericContainer> AvroSerializer<T> serializer() {
        AvroSerializer<T> serializer = new AvroSerializer<>();
        serializer.configure(env.serdeConfig(), false);
        return serializer;
    }

    @SuppressWarnings("unchecked")
    private <T> Deserializer<T> avro() {
        AvroDeserializer<T> deserializer = new AvroDeserializer<>();
        deserializer.configure(env.serdeConfig(), false);
        return deserializer;
    }

    private <V> KafkaConsumer<String, V> consumer(String topic, Integer partition, Deserializer<V> values) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
        List<TopicPartition> partitions = partition != null ? List.of(new TopicPartition(topic, partition))
                : consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private <V> ConsumerRecord<String, V> awaitRecord(String topic, Integer partition, Deserializer<V> values,
                                                      Predicate<ConsumerRecord<String, V>> match) {
        try (KafkaConsumer<String, V> consumer = consumer(topic, partition, values)) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(record)) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("No matching record on " + topic + (partition == null ? "" : "-" + partition) + " within " + WAIT);
    }

    private <V> List<V> readAll(String topic, Deserializer<V> values) {
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = consumer(topic, null, values)) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline && end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
            }
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
