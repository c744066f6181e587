package io.guardstream.avro.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import io.guardstream.testing.AvroFixtures;
import io.guardstream.testing.KafkaTestEnvironment;
import io.vertx.core.json.JsonObject;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaTestEnvironment.class)
class EmbeddedSchemaRegistryTest {

    private static final Schema V1 = schema("{\"name\":\"a\",\"type\":\"string\"}");
    private static final Schema V2 = schema("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}");

    private final KafkaTestEnvironment env = KafkaTestEnvironment.get();
    private final SchemaRegistryClient client = new RestSchemaRegistryClient(RegistryClientConfig.of(env.registryUrl()));

    @Test
    void shouldRegisterFetchByIdAndServeTheLatestVersion() {
        String subject = AvroFixtures.uniqueTopic("reg") + "-value";
        int id1 = client.register(subject, V1);
        int id2 = client.register(subject, V2);

        assertThat(id2).isNotEqualTo(id1);
        assertThat(client.register(subject, V1)).as("re-registering returns the existing id").isEqualTo(id1);
        assertThat(client.schemaById(id1)).isEqualTo(V1);
        RegisteredSchema latest = client.latest(subject);
        assertThat(latest.id()).isEqualTo(id2);
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.schema()).isEqualTo(V2);
        assertThat(client.lookup(subject, V1).version()).isEqualTo(1);
        assertThat(client.subjects()).contains(subject);
    }

    @Test
    void shouldAnswerNotFoundWithConfluentErrorCodes() {
        String subject = AvroFixtures.uniqueTopic("missing") + "-value";
        assertThatThrownBy(() -> client.latest(subject))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
                });
        assertThatThrownBy(() -> client.schemaById(999_999))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
        client.register(subject, V1);
        assertThatThrownBy(() -> client.lookup(subject, V2))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }

    @Test
    void shouldApplyPerSubjectCompatibilityLevels() {
        String subject = AvroFixtures.uniqueTopic("config") + "-value";
        assertThat(client.compatibility(subject)).isEqualTo(CompatibilityLevel.BACKWARD);
        Schema unrelated = new Schema.Parser().parse("\"string\"");
        client.register(subject, V1);
        assertThatThrownBy(() -> client.register(subject, unrelated)).isInstanceOf(IncompatibleSchemaException.class);

        client.setCompatibility(subject, CompatibilityLevel.NONE);

        assertThat(client.compatibility(subject)).isEqualTo(CompatibilityLevel.NONE);
        assertThat(client.register(subject, unrelated)).isPositive();
    }

    @Test
    void shouldKeepIdsWhenTheRegistryRestartsOnTheSameKafkaData() throws Exception {
        String subject = AvroFixtures.uniqueTopic("restart") + "-value";
        int id1 = client.register(subject, V1);
        int id2 = client.register(subject, V2);

        EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry
                .start(env.vertx(), env.bootstrapServers(), io.guardstream.kafka.Topics.SCHEMAS, "127.0.0.1", 0)
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            SchemaRegistryClient restarted = new RestSchemaRegistryClient(RegistryClientConfig.of(second.url()));
            assertThat(restarted.schemaById(id1)).isEqualTo(V1);
            assertThat(restarted.latest(subject).id()).isEqualTo(id2);
            assertThat(restarted.register(subject, V1)).isEqualTo(id1);
        } finally {
            second.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldAnswerBadBodiesWithClearErrors() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String subject = AvroFixtures.uniqueTopic("bad");
        HttpResponse<String> malformed = http.send(post("/subjects/" + subject + "/versions", "{not json"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(malformed.body()).getString("message")).contains("Malformed JSON");

        HttpResponse<String> invalidSchema = http.send(post("/subjects/" + subject + "/versions",
                "{\"schema\":\"{\\\"type\\\":\\\"nonsense\\\"}\"}"), HttpResponse.BodyHandlers.ofString());
        assertThat(invalidSchema.statusCode()).isEqualTo(422);
        assertThat(new JsonObject(invalidSchema.body()).getInteger("error_code")).isEqualTo(SchemaRegistryException.INVALID_SCHEMA);
        assertThat(invalidSchema.headers().firstValue("Content-Type")).contains(RestSchemaRegistryClient.CONTENT_TYPE);
    }

    private HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(env.registryUrl() + path))
                .header("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static Schema schema(String fields) {
        return new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Item\",\"namespace\":\"io.guardstream.test\",\"fields\":[" + fields + "]}");
    }
}
