package io.guardstream.avro.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client behaviour that the embedded registry cannot provoke: auth headers, retries on 5xx, unreachable hosts. */
class RestSchemaRegistryClientTest {

    private final Vertx vertx = Vertx.vertx();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> {
            authorizations.add(String.valueOf(request.getHeader("Authorization")));
            if (failuresLeft.getAndDecrement() > 0) {
                request.response().setStatusCode(503).end("{\"error_code\":50003,\"message\":\"Forward error\"}");
            } else {
                request.response().putHeader("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE).end("{\"id\":17}");
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        vertx.close();
    }

    @Test
    void shouldSendBasicAuthCredentials() {
        client(config().withBasicAuth("svc:s3cret")).register("s-value", Schema.create(Schema.Type.STRING));
        assertThat(authorizations).containsExactly("Basic c3ZjOnMzY3JldA==");
    }

    @Test
    void shouldSendBearerTokens() {
        client(config().withBearerToken("tok-123")).register("s-value", Schema.create(Schema.Type.STRING));
        assertThat(authorizations).containsExactly("Bearer tok-123");
    }

    @Test
    void shouldRetryServerErrorsThenSucceed() {
        failuresLeft.set(2);
        int id = client(config()).register("s-value", Schema.create(Schema.Type.STRING));
        assertThat(id).isEqualTo(17);
        assertThat(authorizations).hasSize(3);
    }

    @Test
    void shouldGiveUpAfterMaxRetriesWithTheRegistryError() {
        failuresLeft.set(100);
        assertThatThrownBy(() -> client(config()).register("s-value", Schema.create(Schema.Type.STRING)))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.errorCode()).isEqualTo(50003);
                });
        assertThat(authorizations).hasSize(3);
    }

    @Test
    void shouldReportAnUnreachableRegistry() throws Exception {
        int port = server.actualPort();
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        RegistryClientConfig config = new RegistryClientConfig(List.of("http://127.0.0.1:" + port), null, null,
                Duration.ofSeconds(2), 1, Duration.ofMillis(10));
        assertThatThrownBy(() -> client(config).schemaById(1))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unreachable");
    }

    @Test
    void shouldNotPrintCredentialsInItsConfig() {
        assertThat(config().withBasicAuth("svc:s3cret").withBearerToken("tok").toString())
                .doesNotContain("s3cret").doesNotContain("tok\"").contains("***");
    }

    private RegistryClientConfig config() {
        return new RegistryClientConfig(List.of("http://127.0.0.1:" + server.actualPort()), null, null,
                Duration.ofSeconds(5), 2, Duration.ofMillis(10));
    }

    private static RestSchemaRegistryClient client(RegistryClientConfig config) {
        return new RestSchemaRegistryClient(config);
    }
}
