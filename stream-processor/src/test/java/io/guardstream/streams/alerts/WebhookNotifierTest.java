package io.guardstream.streams.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.guardstream.avro.Alert;
import io.guardstream.streams.config.StreamProcessorConfig;
import io.guardstream.testing.AvroFixtures;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {

    private Vertx vertx;
    private HttpServer hook;
    private final List<JsonObject> calls = new CopyOnWriteArrayList<>();
    private final List<Long> callTimes = new CopyOnWriteArrayList<>();
    private volatile int failFirst;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        hook = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            calls.add(body.toJsonObject());
            callTimes.add(System.nanoTime());
            req.response().setStatusCode(calls.size() <= failFirst ? 503 : 200).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private WebhookNotifier notifier(int retries) {
        StreamProcessorConfig.Webhooks config = StreamProcessorConfig.defaults().webhooks()
                .withUrls(Map.of("acme", "http://127.0.0.1:" + hook.actualPort() + "/slack"))
                .withRetries(retries, Duration.ofMillis(40));
        return new WebhookNotifier(vertx, config);
    }

    @Test
    void shouldPostSlackCompatibleJsonWithTheAlertAttached() throws Exception {
        Alert alert = AvroFixtures.alert("a-1");
        notifier(0).notify(alert).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(calls).hasSize(1);
        JsonObject body = calls.get(0);
        assertThat(body.getString("text")).contains("HARMFUL_BURST").contains("acme").contains("user-42").contains(alert.getMessage());
        JsonObject attachment = body.getJsonArray("attachments").getJsonObject(0);
        assertThat(attachment.getString("color")).isEqualTo("#d00000");
        assertThat(attachment.getJsonArray("fields").encode()).contains("Evidence").contains("ex-1");
        assertThat(body.getJsonObject("guardstream").getString("alertId")).isEqualTo("a-1");
        assertThat(body.getJsonObject("guardstream").getJsonObject("topCategories").fieldNames()).containsExactly("violence", "hate");
    }

    @Test
    void shouldRetryWithGrowingBackoffUntilDelivered() throws Exception {
        failFirst = 2;
        notifier(3).notify(AvroFixtures.alert("a-2")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(calls).hasSize(3);
        long firstGap = callTimes.get(1) - callTimes.get(0);
        long secondGap = callTimes.get(2) - callTimes.get(1);
        assertThat(Duration.ofNanos(firstGap)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
        assertThat(Duration.ofNanos(secondGap)).isGreaterThanOrEqualTo(Duration.ofMillis(80));
    }

    @Test
    void shouldGiveUpAfterTheLastRetryAndSkipTenantsWithoutAUrl() throws Exception {
        failFirst = 100;
        WebhookNotifier notifier = notifier(1);
        var result = notifier.notify(AvroFixtures.alert("a-3")).toCompletionStage().toCompletableFuture();
        try {
            result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException expected) {
            assertThat(expected.getCause()).hasMessageContaining("HTTP 503");
        }
        assertThat(result).isCompletedExceptionally();
        assertThat(calls).hasSize(2);
        assertThat(notifier.failed()).isEqualTo(1);

        Alert elsewhere = AvroFixtures.alert("a-4");
        elsewhere.setTenantId("no-hook");
        notifier.notify(elsewhere).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(calls).hasSize(2);
    }
}
