package io.guardstream.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guardstream.avro.ContentPartType;
import io.guardstream.avro.Exchange;
import io.guardstream.avro.ImageSource;
import io.guardstream.avro.registry.EmbeddedSchemaRegistry;
import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.avro.serde.AvroDeserializer;
import io.guardstream.avro.serde.SerdeConfig;
import io.guardstream.gateway.Gateway;
import io.guardstream.gateway.auth.ApiKeyAuthenticator;
import io.guardstream.gateway.config.ConfigLoader;
import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.kafka.EmbeddedKafkaBroker;
import io.guardstream.kafka.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway with the Kafka publisher over a real KRaft broker and the embedded schema registry. */
@Tag("kafka")
class KafkaExchangePublisherTest {

  private static final String CLIENT_KEY = "sk-kafka-client-key-123456";

  @TempDir
  static Path tmp;

  private static Vertx vertx;
  private static EmbeddedKafkaBroker broker;
  private static EmbeddedSchemaRegistry registry;
  private static Gateway gateway;
  private static KafkaExchangePublisher publisher;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedKafkaBroker.builder().logDir(tmp.resolve("kafka")).build().start();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(Topics.EXCHANGES, 3, (short) 1), new NewTopic(Topics.SCHEMAS, 1, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
    }
    vertx = Vertx.vertx();
    registry = EmbeddedSchemaRegistry.start(vertx, broker.bootstrapServers(), Topics.SCHEMAS, "127.0.0.1", 0)
        .await(60, TimeUnit.SECONDS);

    GatewayConfig config = new GatewayConfig();
    config.server.port = 0;
    config.server.host = "127.0.0.1";
    config.server.instances = 1;
    config.server.instanceId = "gw-test-1";
    config.demoUpstream = "on";
    ConfigLoader.addApiKey(config, CLIENT_KEY);
    config.apiKeys.get(0).tenant = "kafka-tenant";
    config.publisher.type = "kafka";
    config.publisher.bootstrapServers = broker.bootstrapServers();
    config.publisher.schemaRegistryUrl = registry.url();
    config.publisher.spoolDir = tmp.resolve("spool").toString();
    config.publisher.deliveryTimeoutMs = 2_500;
    gateway = Gateway.create(vertx, config).publisher(metrics -> {
      publisher = new KafkaExchangePublisher(config.publisher, "gw-test-1", metrics, Map.of());
      return publisher;
    });
    gateway.start().await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.stop().await(30, TimeUnit.SECONDS);
    }
    if (registry != null) {
      registry.close().await(10, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void exchangeLandsOnKafkaDecodesThroughTheRegistryAndHoldsNoCredentials() throws Exception {
    String image = "data:image/png;base64,iVBORw0KGgo=";
    HttpResponse<String> response = chat("{\"model\":\"guardstream-demo\",\"user\":\"u-7\",\"stream\":true,"
        + "\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"what is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + image + "\"}},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://user:pw@img.example/cat.png?sig=SECRET\"}}]}]}");
    assertThat(response.statusCode()).isEqualTo(200);
    String id = response.headers().firstValue("x-guardstream-exchange-id").orElseThrow();

    Map<String, List<ConsumerRecord<String, byte[]>>> seen = consumeUntil(List.of(id), Duration.ofSeconds(30));
    byte[] raw = seen.get(id).get(0).value();
    assertThat(raw[0]).as("Confluent magic byte").isEqualTo((byte) 0);
    String rawText = new String(raw, StandardCharsets.ISO_8859_1);
    assertThat(rawText).doesNotContain(CLIENT_KEY).doesNotContain(ApiKeyAuthenticator.sha256Hex(CLIENT_KEY))
        .doesNotContain("SECRET").doesNotContain("user:pw");

    Exchange exchange = decode(raw);
    assertThat(exchange.getExchangeId()).isEqualTo(id);
    assertThat(exchange.getTenantId()).isEqualTo("kafka-tenant");
    assertThat(exchange.getKeyId()).isEqualTo(ApiKeyAuthenticator.sha256Hex(CLIENT_KEY).substring(0, 12));
    assertThat(exchange.getEndUserId()).isEqualTo("u-7");
    assertThat(exchange.getGatewayInstance()).isEqualTo("gw-test-1");
    assertThat(exchange.getStream()).isTrue();
    assertThat(exchange.getHttpStatus()).isEqualTo(200);
    assertThat(exchange.getResponseText()).startsWith("[GuardStream demo upstream");
    assertThat(exchange.getFinishReason()).isEqualTo("stop");
    assertThat(exchange.getRequestMessages()).hasSize(2);
    var parts = exchange.getRequestMessages().get(1).getParts();
    assertThat(parts.get(0).getType()).isEqualTo(ContentPartType.TEXT);
    assertThat(parts.get(1).getImage().getSource()).isEqualTo(ImageSource.DATA_URI);
    assertThat(parts.get(1).getImage().getMime()).isEqualTo("image/png");
    assertThat(parts.get(1).getImage().getSha256()).hasSize(64);
    assertThat(parts.get(2).getImage().getUrl()).isEqualTo("https://img.example/cat.png");
    assertThat(exchange.getTimings().getUpstreamFirstByteAt()).isNotNull();
  }

  @Test
  void exchangesMadeWhileKafkaIsDownArriveAfterItReturnsNoneLostNoneDuplicated() throws Exception {
    broker.close();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      HttpResponse<String> r = chat("{\"model\":\"guardstream-demo\",\"stream\":" + (i % 2 == 0)
          + ",\"messages\":[{\"role\":\"user\",\"content\":\"outage " + i + "\"}]}");
      assertThat(r.statusCode()).as("gateway keeps serving while Kafka is down").isEqualTo(200);
      ids.add(r.headers().firstValue("x-guardstream-exchange-id").orElseThrow());
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> !publisher.online() && publisher.backlog() >= 12);
    assertThat(gateway.meterRegistry().scrape()).contains("guardstream_publish_backlog");

    broker.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> publisher.backlog() == 0 && publisher.online());

    Map<String, List<ConsumerRecord<String, byte[]>>> seen = consumeUntil(ids, Duration.ofSeconds(30));
    for (String id : ids) {
      assertThat(seen.get(id)).as("exchange %s exactly once", id).hasSize(1);
      assertThat(decode(seen.get(id).get(0).value()).getExchangeId()).isEqualTo(id);
    }
    List<String> outageOrder = new ArrayList<>();
    seen.values().stream().flatMap(List::stream).filter(r -> ids.contains(r.key()))
        .filter(r -> r.partition() == seen.get(ids.get(0)).get(0).partition())
        .sorted((a, b) -> Long.compare(a.offset(), b.offset())).forEach(r -> outageOrder.add(r.key()));
    assertThat(outageOrder).isEqualTo(ids.stream().filter(outageOrder::contains).toList());
  }

  private static HttpResponse<String> chat(String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + CLIENT_KEY)
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Exchange decode(byte[] raw) {
    Map<String, Object> config = new HashMap<>();
    config.put(RegistryClientConfig.URL, registry.url());
    config.put(SerdeConfig.SPECIFIC_AVRO_READER, true);
    try (AvroDeserializer<Exchange> deserializer = new AvroDeserializer<>()) {
      deserializer.configure(config, false);
      return deserializer.deserialize(Topics.EXCHANGES, raw);
    }
  }

  /** Reads the whole topic until every id was seen, then a little longer to catch duplicates. */
  private static Map<String, List<ConsumerRecord<String, byte[]>>> consumeUntil(List<String> ids, Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, List<ConsumerRecord<String, byte[]>>> seen = new ConcurrentHashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.EXCHANGES));
      long deadline = System.nanoTime() + timeout.toNanos();
      long quietUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, quietUntil)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          seen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        if (quietUntil == Long.MAX_VALUE && seen.keySet().containsAll(ids)) {
          quietUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        }
      }
    }
    assertThat(seen.keySet()).containsAll(ids);
    return seen;
  }
}
