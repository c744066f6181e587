package io.guardstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.guardstream.avro.Exchange;
import io.guardstream.avro.serde.AvroSerializer;
import io.guardstream.streams.audit.AuditTopology;
import io.guardstream.streams.config.StreamProcessorConfig;
import io.guardstream.streams.testing.FakeGuardServer;
import io.guardstream.streams.testing.Samples;
import io.guardstream.testing.KafkaTestEnvironment;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two audit instances of one app: stats for a tenant whose stores live on the other instance are forwarded there. */
@Tag("integration")
@ExtendWith(KafkaTestEnvironment.class)
class StatsForwardingIntegrationTest {

    private final KafkaTestEnvironment env = KafkaTestEnvironment.get();

    @Test
    void shouldForwardTenantStatsToTheInstanceOwningTheTenant() throws Exception {
        Vertx vertx = Vertx.vertx();
        FakeGuardServer guard = FakeGuardServer.start(vertx);
        String run = UUID.randomUUID().toString().substring(0, 8);
        StreamProcessor first = StreamProcessor.create(config(run, guard));
        StreamProcessor second = StreamProcessor.create(config(run, guard));
        WebClient client = WebClient.create(vertx);
        try {
            first.start().toCompletableFuture().get(120, TimeUnit.SECONDS);
            second.start().toCompletableFuture().get(120, TimeUnit.SECONDS);
            KafkaStreams streams = first.auditStreams().orElseThrow();
            await().atMost(Duration.ofSeconds(90)).until(() -> streams.state() == KafkaStreams.State.RUNNING
                    && second.auditStreams().orElseThrow().state() == KafkaStreams.State.RUNNING
                    && streams.streamsMetadataForStore(AuditTopology.TENANT_TOTALS_STORE).size() == 2);

            String remoteTenant = null;
            for (int i = 0; i < 100 && remoteTenant == null; i++) {
                String tenant = "tenant-" + i;
                KeyQueryMetadata owner = streams.queryMetadataForKey(AuditTopology.TENANT_TOTALS_STORE, tenant, Serdes.String().serializer());
                if (owner.activeHost().port() == second.adminPort()) {
                    remoteTenant = tenant;
                }
            }
            assertThat(remoteTenant).as("a tenant owned by the second instance").isNotNull();

            try (KafkaProducer<String, Exchange> producer = producer()) {
                for (int i = 0; i < 3; i++) {
                    String id = "ex-" + run + "-" + i;
                    producer.send(new ProducerRecord<>(first.config().topicNames().exchanges(), id,
                            Samples.exchange(id, remoteTenant, "u-" + i, "hello", "hi", Instant.now()))).get();
                }
            }

            String tenant = remoteTenant;
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                HttpResponse<Buffer> response = client.get(first.adminPort(), "127.0.0.1", "/v1/stats/tenants/" + tenant)
                        .putHeader("authorization", "Bearer admin").send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.getHeader("x-guardstream-served-by")).isEqualTo("127.0.0.1:" + second.adminPort());
                assertThat(response.bodyAsJsonObject().getJsonObject("totals").getLong("exchanges")).isEqualTo(3L);
            });
        } finally {
            client.close();
            second.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
            first.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
            guard.close();
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private StreamProcessorConfig config(String run, FakeGuardServer guard) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap", env.bootstrapServers());
        settings.put("kafka.registryUrl", env.registryUrl());
        settings.put("kafka.applicationIdPrefix", "fwd-" + run);
        settings.put("kafka.stateDir", Files.createTempDirectory("guardstream-fwd-").toString());
        settings.put("topics.prefix", "fwd-" + run + ".");
        settings.put("guard.modelUrl", guard.url());
        settings.put("checks.enabled", "false");
        settings.put("audit.commitIntervalMs", "100");
        settings.put("admin.host", "127.0.0.1");
        settings.put("admin.port", String.valueOf(freePort()));
        settings.put("admin.token", "admin");
        return StreamProcessorConfig.of(settings);
    }

    private KafkaProducer<String, Exchange> producer() {
        Map<String, Object> props = new HashMap<>(env.serdeConfig());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
        AvroSerializer<Exchange> values = new AvroSerializer<>();
        values.configure(env.serdeConfig(), false);
        return new KafkaProducer<>(props, new StringSerializer(), values);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
