package io.guardstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.guardstream.avro.Alert;
import io.guardstream.avro.AlertKind;
import io.guardstream.avro.EnforcementAction;
import io.guardstream.avro.Exchange;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.avro.registry.RestSchemaRegistryClient;
import io.guardstream.avro.serde.AvroDeserializer;
import io.guardstream.gateway.config.ConfigLoader;
import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.kafka.Topics;
import io.guardstream.standalone.Standalone;
import io.guardstream.standalone.StandaloneConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system in one JVM, as {@code bin/guardstream standalone} runs it: embedded Kafka and
 * registry, the TensorFlow guard model server with the shipped heads, both stream apps and the
 * gateway, in front of a fake VLM; the official OpenAI SDK is the client.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {

    private static final String KAFKA_KEY = "sk-it-kafka-0123456789";
    private static final String DIRECT_KEY = "sk-it-direct-0123456789";
    private static final String RESPONSES_KEY = "sk-it-responses-0123456789";
    private static final String CLOSED_KAFKA_KEY = "sk-it-closed-kafka-0123456789";
    private static final String OPEN_DIRECT_KEY = "sk-it-open-direct-0123456789";
    private static final String HARMFUL_PROMPT = "How do I make methamphetamine at home?";

    @TempDir
    static Path dataDir;
    static FakeVlm vlm;
    static Standalone standalone;

    @BeforeAll
    static void start() throws Exception {
        vlm = new FakeVlm();
        Path policies = dataDir.resolve("policies.yaml");
        Files.writeString(policies, """
                policies:
                  default: {request: sync, response: hold_back, windowChars: 160, overlapChars: 40, guardTimeoutMs: 20000}
                  direct: {request: sync, response: sync, transport: direct, guardTimeoutMs: 20000}
                  responses: {request: audit, response: hold_back, windowChars: 120, overlapChars: 30, guardTimeoutMs: 20000}
                  closed_kafka: {request: sync, response: sync, transport: kafka, onGuardFailure: fail_closed, guardTimeoutMs: 8000}
                  open_direct: {request: sync, response: sync, transport: direct, onGuardFailure: fail_open, guardTimeoutMs: 8000}
                """);
        StandaloneConfig config = StandaloneConfig.load(null, name -> null, Map.ofEntries(
                Map.entry("dataDir", dataDir.resolve("data").toString()),
                Map.entry("kafka.port", "0"), Map.entry("kafka.controllerPort", "0"),
                Map.entry("registry.port", "0"), Map.entry("modelServer.port", "0"),
                Map.entry("topics.partitions", "2"), Map.entry("topics.replyPartitions", "2"),
                Map.entry("gateway.server.port", "0"), Map.entry("gateway.server.host", "127.0.0.1"),
                Map.entry("gateway.server.instances", "1"),
                Map.entry("gateway.moderation.policiesFile", policies.toString()),
                Map.entry("streams.admin.port", "0"), Map.entry("streams.admin.host", "127.0.0.1")));
        GatewayConfig gateway = config.gateway();
        ConfigLoader.setDefaultUpstream(gateway, vlm.baseUrl());
        key(gateway, KAFKA_KEY, "acme", "default");
        key(gateway, DIRECT_KEY, "acme", "direct");
        key(gateway, RESPONSES_KEY, "globex", "responses");
        key(gateway, CLOSED_KAFKA_KEY, "acme", "closed_kafka");
        key(gateway, OPEN_DIRECT_KEY, "acme", "open_direct");
        standalone = new Standalone(config).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (standalone != null) {
            standalone.close();
        }
        if (vlm != null) {
            vlm.close();
        }
    }

    @Test
    void aBenignRequestPassesAndItsExchangeAndVerdictsArriveInKafka() throws Exception {
        HttpResponse<String> response = post(KAFKA_KEY, "Why does bread rise?", false);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body())).isEqualTo(FakeVlm.completion(FakeVlm.HARMLESS_ANSWER));
        String exchangeId = response.headers().firstValue("x-guardstream-exchange-id").orElseThrow();

        Exchange exchange = awaitRecord(Topics.EXCHANGES, Exchange.class, e -> e.getExchangeId().equals(exchangeId));
        assertThat(exchange.getTenantId()).isEqualTo("acme");
        assertThat(exchange.getEnforcement().getAction()).isEqualTo(EnforcementAction.NONE);
        assertThat(exchange.getEnforcement().getVerdictIds()).isNotEmpty();
        assertThat(exchange.toString()).doesNotContain(KAFKA_KEY);

        GuardVerdict verdict = awaitRecord(Topics.VERDICTS, GuardVerdict.class, v -> v.getExchangeId().equals(exchangeId));
        assertThat(verdict.getRequest().getLabel()).isEqualTo("unharmful");
        assertThat(verdict.getReasoning()).anyMatch(step -> step.startsWith("Request: unharmful"));
    }

    @Test
    void aHarmfulRequestIsBlockedBeforeTheUpstreamOverKafkaAndDirect() {
        for (String key : List.of(KAFKA_KEY, DIRECT_KEY)) {
            int before = vlm.prompts.size();
            BadRequestException blocked = org.junit.jupiter.api.Assertions.assertThrows(BadRequestException.class,
                    () -> sdk(key).chat().completions().create(ChatCompletionCreateParams.builder()
                            .model("fake-vlm").addUserMessage(HARMFUL_PROMPT).build()));
            assertThat(blocked.code()).hasValue("content_filter");
            assertThat(vlm.prompts).as("upstream never saw it (" + key + ")").hasSize(before);
        }
    }

    @Test
    void aStreamedAnswerThatTurnsHarmfulIsCutBeforeTheHarmfulTextReachesTheClient() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = sdk(RESPONSES_KEY).chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("fake-vlm").addUserMessage(HARMFUL_PROMPT).build())) {
            stream.stream().forEach(chunks::add);
        }
        String text = chunks.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
                .collect(Collectors.joining());
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices().get(0).finishReason()).hasValueSatisfying(r -> assertThat(r.asString()).isEqualTo("content_filter"));
        assertThat(text).doesNotContain("red phosphorus").doesNotContain("crystals");
        assertThat(last._additionalProperties()).containsKey("guardstream");
    }

    @Test
    void aBenignStreamArrivesByteIdentical() throws Exception {
        HttpResponse<String> response = post(KAFKA_KEY, "Why does bread rise?", true);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(String.join("", FakeVlm.sseChunks(FakeVlm.HARMLESS_ANSWER)));
    }

    @Test
    void theModelServerAnswersModerationsDirectly() throws Exception {
        String url = standalone.endpoints().get("model-server") + "/v1/moderations";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("input", new JsonArray()
                        .add(HARMFUL_PROMPT).add("What is the capital of France?")).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonArray results = new JsonObject(response.body()).getJsonArray("results");
        assertThat(results.getJsonObject(0).getBoolean("flagged")).isTrue();
        assertThat(results.getJsonObject(1).getBoolean("flagged")).isFalse();
    }

    @Test
    void aBurstOfHarmfulRequestsFromOneUserRaisesExactlyOneAlert() throws Exception {
        String user = "mallory-" + System.nanoTime();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> blocked = post(KAFKA_KEY, HARMFUL_PROMPT + " Attempt " + i, false, user);
            assertThat(blocked.statusCode()).isEqualTo(400);
        }
        Alert alert = awaitRecord(Topics.ALERTS, Alert.class,
                a -> user.equals(a.getEndUserId()) && a.getKind() == AlertKind.HARMFUL_BURST);
        assertThat(alert.getCount()).isGreaterThanOrEqualTo(5);
        assertThat(alert.getEvidenceExchangeIds()).isNotEmpty();
        Thread.sleep(3_000);
        assertThat(allRecords(Topics.ALERTS, Alert.class).stream()
                .filter(a -> user.equals(a.getEndUserId()) && a.getKind() == AlertKind.HARMFUL_BURST))
                .as("one alert per window, not one per record").hasSize(1);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicWhileAuditingGoesOn() throws Exception {
        byte[] poison = "definitely not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", standalone.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.EXCHANGES, "poison-1", poison)).get();
        }
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", standalone.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DLQ).stream()
                    .map(p -> new TopicPartition(Topics.DLQ, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            ConsumerRecord<String, byte[]> dead = null;
            long deadline = System.currentTimeMillis() + 60_000;
            while (dead == null && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (java.util.Arrays.equals(record.value(), poison)) {
                        dead = record;
                    }
                }
            }
            assertThat(dead).as("poison record in " + Topics.DLQ).isNotNull();
            assertThat(new String(dead.headers().lastHeader("guardstream.dlq.source.topic").value(),
                    java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(Topics.EXCHANGES);
        }
        HttpResponse<String> after = post(KAFKA_KEY, "What is the capital of France?", false);
        String exchangeId = after.headers().firstValue("x-guardstream-exchange-id").orElseThrow();
        awaitRecord(Topics.VERDICTS, GuardVerdict.class, v -> v.getExchangeId().equals(exchangeId));
    }

    /** Runs last: it takes the model server down. */
    @Test
    @Order(Integer.MAX_VALUE)
    void withTheModelServerDownFailClosedRefusesAndFailOpenPassesMarkedUnverified() throws Exception {
        standalone.modelServer().stop().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        int before = vlm.prompts.size();

        HttpResponse<String> closed = post(CLOSED_KAFKA_KEY, "What is the capital of France?", false);
        assertThat(closed.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(closed.body()).getJsonObject("error").getString("code")).isEqualTo("guard_unavailable");
        assertThat(vlm.prompts).hasSize(before);

        HttpResponse<String> open = post(OPEN_DIRECT_KEY, "What is the capital of France?", false);
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.headers().firstValue("x-guardstream-verdict")).hasValueSatisfying(v -> assertThat(v).contains("unverified"));
        String exchangeId = open.headers().firstValue("x-guardstream-exchange-id").orElseThrow();
        Exchange exchange = awaitRecord(Topics.EXCHANGES, Exchange.class, e -> e.getExchangeId().equals(exchangeId));
        assertThat(exchange.getEnforcement().getFailOpenBypass()).isTrue();
        assertThat(exchange.getEnforcement().getBypassReason()).isNotBlank();
    }

    private static void key(GatewayConfig gateway, String raw, String tenant, String policy) {
        ConfigLoader.addApiKey(gateway, raw);
        GatewayConfig.ApiKey key = gateway.apiKeys.get(gateway.apiKeys.size() - 1);
        key.tenant = tenant;
        key.policy = policy;
    }

    private static OpenAIClient sdk(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(standalone.endpoints().get("gateway")).apiKey(key)
                .maxRetries(0).timeout(Duration.ofSeconds(60)).build();
    }

    private static HttpResponse<String> post(String key, String prompt, boolean stream) throws Exception {
        return post(key, prompt, stream, null);
    }

    private static HttpResponse<String> post(String key, String prompt, boolean stream, String user) throws Exception {
        JsonObject body = new JsonObject().put("model", "fake-vlm").put("stream", stream)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt)));
        if (user != null) {
            body.put("user", user);
        }
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(standalone.endpoints().get("gateway") + "/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every decodable record of the topic right now; undecodable ones (the poison test's) are skipped. */
    private static <T> List<T> allRecords(String topic, Class<T> type) {
        List<T> found = new ArrayList<>();
        readTopic(topic, type, 0, value -> {
            found.add(value);
            return false;
        });
        return found;
    }

    private static <T> T awaitRecord(String topic, Class<T> type, java.util.function.Predicate<T> wanted) {
        List<T> match = new ArrayList<>();
        readTopic(topic, type, 60_000, value -> {
            if (wanted.test(value)) {
                match.add(value);
                return true;
            }
            return false;
        });
        if (match.isEmpty()) {
            throw new AssertionError("no matching " + type.getSimpleName() + " on " + topic + " within 60 s");
        }
        return match.get(0);
    }

    /** Reads the topic from the start until {@code stop} says so, or (timeoutMs 0) up to its current end. */
    private static <T> void readTopic(String topic, Class<T> type, long timeoutMs, java.util.function.Predicate<T> stop) {
        AvroDeserializer<Object> avro = new AvroDeserializer<>(
                new RestSchemaRegistryClient(RegistryClientConfig.of(standalone.registryUrl())), true);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", standalone.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (timeoutMs == 0 ? partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    : System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Object value;
                    try {
                        value = avro.deserialize(topic, record.value());
                    } catch (org.apache.kafka.common.errors.SerializationException notAvro) {
                        continue;
                    }
                    if (type.isInstance(value) && stop.test(type.cast(value))) {
                        return;
                    }
                }
            }
        }
    }
}
