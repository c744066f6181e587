package io.guardstream.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.guardstream.avro.Exchange;
import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.avro.registry.RestSchemaRegistryClient;
import io.guardstream.avro.serde.AvroSerializer;
import io.guardstream.cli.GuardStreamCli;
import io.guardstream.kafka.Topics;
import io.guardstream.testing.AvroFixtures;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StandaloneTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void shouldBootServeTailStopAndKeepSchemaIdsAcrossARestart() throws Exception {
        int schemaId;
        int brokerPort;
        try (Standalone standalone = new Standalone(config()).start()) {
            assertThat(standalone.endpoints()).containsKeys("kafka", "schema-registry");
            brokerPort = Integer.parseInt(standalone.bootstrapServers().split(":")[1]);

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", standalone.bootstrapServers()))) {
                Set<String> topics = admin.listTopics().names().get();
                assertThat(topics).containsAll(Topics.ALL).contains(Topics.SCHEMAS);
                TopicDescription replies = admin.describeTopics(Set.of(Topics.REPLIES)).allTopicNames().get().get(Topics.REPLIES);
                assertThat(replies.partitions()).hasSize(4);
            }

            HttpResponse<String> subjects = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(standalone.registryUrl() + "/subjects")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(subjects.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(subjects.body()).isArray()).isTrue();

            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(RegistryClientConfig.of(standalone.registryUrl()));
            try (KafkaProducer<String, Exchange> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", standalone.bootstrapServers()),
                    new StringSerializer(), new AvroSerializer<>(registry, true))) {
                producer.send(new ProducerRecord<>(Topics.EXCHANGES, "ex-tail", AvroFixtures.exchange("ex-tail"))).get();
            }
            schemaId = registry.latest(Topics.EXCHANGES + "-value").id();

            JsonNode line = JSON.readTree(tail(standalone, Topics.EXCHANGES).trim());
            assertThat(line.path("topic").asText()).isEqualTo(Topics.EXCHANGES);
            assertThat(line.path("key").asText()).isEqualTo("ex-tail");
            assertThat(line.path("schemaId").asInt()).isEqualTo(schemaId);
            assertThat(line.path("value").path("exchangeId").asText()).isEqualTo("ex-tail");
            assertThat(line.path("value").path("tenantId").asText()).isEqualTo("acme");
        }

        assertThatThrownBy(() -> new Socket("127.0.0.1", brokerPort).close())
                .as("broker port released after stop").isInstanceOf(ConnectException.class);

        try (Standalone restarted = new Standalone(config()).start()) {
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(RegistryClientConfig.of(restarted.registryUrl()));
            assertThat(registry.latest(Topics.EXCHANGES + "-value").id()).isEqualTo(schemaId);
            assertThat(registry.register(Topics.EXCHANGES + "-value", Exchange.getClassSchema())).isEqualTo(schemaId);
            JsonNode line = JSON.readTree(tail(restarted, Topics.EXCHANGES).trim());
            assertThat(line.path("value").path("exchangeId").asText()).as("records survive the restart").isEqualTo("ex-tail");
        }
    }

    private String tail(Standalone standalone, String topic) {
        StringWriter out = new StringWriter();
        CommandLine cli = GuardStreamCli.commandLine().setOut(new PrintWriter(out));
        int exit = cli.execute("tail", topic, "--from-beginning", "--max", "1", "--timeout", "30",
                "--bootstrap", standalone.bootstrapServers(), "--registry", standalone.registryUrl());
        assertThat(exit).isZero();
        return out.toString();
    }

    private StandaloneConfig config() {
        return StandaloneConfig.load(null, name -> null, Map.ofEntries(
                Map.entry("dataDir", dataDir.toString()),
                Map.entry("kafka.port", "0"), Map.entry("kafka.controllerPort", "0"),
                Map.entry("registry.port", "0"), Map.entry("modelServer.port", "0"),
                Map.entry("topics.partitions", "2"), Map.entry("topics.replyPartitions", "4"),
                Map.entry("gateway.server.port", "0"), Map.entry("gateway.server.host", "127.0.0.1"),
                Map.entry("gateway.server.instances", "1"),
                Map.entry("streams.admin.port", "0"), Map.entry("streams.admin.host", "127.0.0.1")));
    }
}
