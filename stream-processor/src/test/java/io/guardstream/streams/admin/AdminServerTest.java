package io.guardstream.streams.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.guardstream.avro.Alert;
import io.guardstream.streams.alerts.AlertHub;
import io.guardstream.testing.AvroFixtures;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {

    private final TokenAuth auth = new TokenAuth("admin", Map.of("acme", "acme-token", "globex", "globex-token"));
    private Vertx vertx;
    private WebClient client;
    private AdminServer owner;
    private AdminServer front;
    private final AlertHub hub = new AlertHub();

    private static final class FixedStats implements TenantStats {
        private final Owner owner;

        FixedStats(Owner owner) {
            this.owner = owner;
        }

        @Override
        public Owner owner(String tenant) {
            return owner;
        }

        @Override
        public JsonObject localStats(String tenant) {
            return new JsonObject().put("tenant", tenant).put("totals", new JsonObject().put("exchanges", 42));
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
        owner = new AdminServer(vertx, auth, new AlertHub(), () -> new FixedStats(new TenantStats.Local()))
                .start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        int ownerPort = owner.port();
        front = new AdminServer(vertx, auth, hub, () -> new FixedStats(new TenantStats.Remote("127.0.0.1", ownerPort)))
                .start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        front.close().toCompletionStage().toCompletableFuture().get();
        owner.close().toCompletionStage().toCompletableFuture().get();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private HttpResponse<Buffer> get(AdminServer server, String path, String token) throws Exception {
        var request = client.get(server.port(), "127.0.0.1", path);
        if (token != null) {
            request.putHeader("authorization", "Bearer " + token);
        }
        return request.send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldForwardStatsToTheInstanceOwningTheTenant() throws Exception {
        HttpResponse<Buffer> response = get(front, "/v1/stats/tenants/acme", "acme-token");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("x-guardstream-served-by")).isEqualTo("127.0.0.1:" + owner.port());
        assertThat(response.bodyAsJsonObject().getJsonObject("totals").getInteger("exchanges")).isEqualTo(42);
    }

    @Test
    void shouldLetTheAdminSeeAnyTenantAndATenantTokenOnlyItsOwn() throws Exception {
        assertThat(get(owner, "/v1/stats/tenants/globex", "admin").statusCode()).isEqualTo(200);
        assertThat(get(owner, "/v1/stats/tenants/globex", "acme-token").statusCode()).isEqualTo(403);
        assertThat(get(owner, "/v1/stats/tenants/globex", "nope").statusCode()).isEqualTo(401);
        assertThat(get(owner, "/v1/stats/tenants/globex", null).statusCode()).isEqualTo(401);
        assertThat(get(owner, "/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldStreamOnlyTheTenantsOwnAlertsOverSse() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpClient http = vertx.createHttpClient();
        HttpClientResponse response = http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                        .setPort(front.port()).setURI("/v1/alerts/stream?access_token=acme-token"))
                .compose(req -> req.send().map(r -> r.handler(chunk -> received.add(chunk.toString()))))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("content-type")).isEqualTo("text/event-stream");
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.size() == 1);

        Alert other = AvroFixtures.alert("a-globex");
        other.setTenantId("globex");
        hub.accept(other);
        Alert mine = AvroFixtures.alert("a-acme");
        mine.setCreatedAt(Instant.parse("2026-11-24T10:00:00Z"));
        hub.accept(mine);

        await().atMost(Duration.ofSeconds(10)).until(() -> String.join("", received).contains("a-acme"));
        String stream = String.join("", received);
        assertThat(stream).contains("event: alert\nid: a-acme\ndata: {").doesNotContain("a-globex");
        assertThat(stream).contains("\"kind\":\"HARMFUL_BURST\"");

        HttpClientResponse forbidden = http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                        .setPort(front.port()).setURI("/v1/alerts/stream?tenant=globex&access_token=acme-token"))
                .compose(req -> req.send()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        http.close();
    }
}
