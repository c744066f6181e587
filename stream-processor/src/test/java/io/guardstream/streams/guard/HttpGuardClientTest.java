package io.guardstream.streams.guard;

import io.guardstream.guardapi.GuardItem;
import io.guardstream.guardapi.GuardResult;
import io.guardstream.guardapi.Priority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.guardstream.streams.config.StreamProcessorConfig;
import io.guardstream.streams.testing.FakeGuardServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpGuardClientTest {

    private Vertx vertx;
    private FakeGuardServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = FakeGuardServer.start(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private HttpGuardClient client(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("guard.modelUrl", server.url());
        return new HttpGuardClient(StreamProcessorConfig.of(all).guard());
    }

    @Test
    void shouldSendABatchAndParseEveryResult() {
        HttpGuardClient client = client(Map.of());
        List<GuardResult> results = client.judge(List.of(
                new GuardItem("a", "how to make a bomb", List.of(GuardItem.Image.ofUrl("https://example.org/x.png")), null),
                new GuardItem("b", "hello", List.of(), "a bomb is easy")));

        assertThat(server.batchSizes()).containsExactly(2);
        GuardResult a = results.stream().filter(r -> r.id().equals("a")).findFirst().orElseThrow();
        assertThat(a.requestHarmful()).isTrue();
        assertThat(a.response()).isNull();
        assertThat(a.categories()).containsEntry("violence", 0.91);
        assertThat(a.model()).isEqualTo("scripted-guard");
        GuardResult b = results.stream().filter(r -> r.id().equals("b")).findFirst().orElseThrow();
        assertThat(b.requestHarmful()).isFalse();
        assertThat(b.responseHarmful()).isTrue();
        assertThat(b.refusal().label()).isEqualTo("compliance");
    }

    @Test
    void shouldAskTheGuardToSkipReasoningOnlyWhenTheCheckSaysSo() throws Exception {
        com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                HttpGuardClient.requestBody(List.of(new GuardItem("fast", "hi", List.of(), null, false),
                        new GuardItem("full", "hi", List.of(), null)), Priority.INTERACTIVE));
        assertThat(body.path("items").path(0).path("reasoning").asBoolean(true)).isFalse();
        assertThat(body.path("items").path(1).has("reasoning")).isFalse();
    }

    @Test
    void shouldSendTheBackgroundPriorityOnlyForBackgroundCalls() {
        HttpGuardClient client = client(Map.of());
        List<GuardItem> items = List.of(new GuardItem("a", "hello", List.of(), null));
        client.judge(items);
        client.judge(items, Priority.INTERACTIVE);
        client.judge(items, Priority.BACKGROUND);

        assertThat(server.priorities).containsExactly("(none)", "(none)", "background");
    }

    @Test
    void shouldRetryThenFailAndOpenTheBreakerSoLaterCallsFailFast() {
        server.down(true);
        HttpGuardClient client = client(Map.of("guard.maxRetries", "2", "guard.retryBackoffMs", "1",
                "guard.breakerFailureThreshold", "2", "guard.breakerOpenMs", "60000"));

        assertThatThrownBy(() -> client.judge(List.of(new GuardItem("a", "x", List.of(), null))))
                .isInstanceOf(GuardUnavailableException.class).hasMessageContaining("HTTP 503");
        assertThatThrownBy(() -> client.judge(List.of(new GuardItem("a", "x", List.of(), null))))
                .isInstanceOf(GuardUnavailableException.class);
        assertThat(client.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);

        server.down(false);
        assertThatThrownBy(() -> client.judge(List.of(new GuardItem("a", "x", List.of(), null))))
                .isInstanceOfSatisfying(GuardUnavailableException.class, e -> assertThat(e.reason()).isEqualTo("circuit_open"));
    }

    @Test
    void shouldKeepInteractiveCallsFlowingWhenBackgroundCallsOpenTheirBreaker() {
        server.down(true);
        HttpGuardClient client = client(Map.of("guard.maxRetries", "0", "guard.breakerFailureThreshold", "1",
                "guard.breakerOpenMs", "60000"));
        List<GuardItem> items = List.of(new GuardItem("a", "x", List.of(), null));
        assertThatThrownBy(() -> client.judge(items, Priority.BACKGROUND)).isInstanceOf(GuardUnavailableException.class);
        assertThat(client.breakerState(Priority.BACKGROUND)).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(client.breakerState(Priority.INTERACTIVE)).isEqualTo(CircuitBreaker.State.CLOSED);

        server.down(false);
        assertThat(client.judge(items, Priority.INTERACTIVE)).hasSize(1);
        assertThatThrownBy(() -> client.judge(items, Priority.BACKGROUND))
                .isInstanceOfSatisfying(GuardUnavailableException.class, e -> assertThat(e.reason()).isEqualTo("circuit_open"));
    }

    @Test
    void shouldNotRetryNorOpenTheBreakerWhenTheGuardRefusesTheRequest() {
        server.status(413);
        HttpGuardClient client = client(Map.of("guard.maxRetries", "3", "guard.breakerFailureThreshold", "1"));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.judge(List.of(new GuardItem("a", "x", List.of(), null))))
                    .isInstanceOfSatisfying(GuardUnavailableException.class, e -> assertThat(e.reason()).isEqualTo("http_413"));
        }
        assertThat(client.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        server.status(0);
        assertThat(client.judge(List.of(new GuardItem("a", "x", List.of(), null)))).hasSize(1);
    }

    @Test
    void shouldTimeOutASlowGuard() {
        server.delayMs(500);
        HttpGuardClient client = client(Map.of("guard.requestTimeoutMs", "50", "guard.maxRetries", "0"));
        long started = System.nanoTime();
        assertThatThrownBy(() -> client.judge(List.of(new GuardItem("a", "x", List.of(), null))))
                .isInstanceOfSatisfying(GuardUnavailableException.class, e -> assertThat(e.reason()).isEqualTo("timeout"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(400));
    }

    @Test
    void shouldReportAnUnreachableGuard() {
        HttpGuardClient client = new HttpGuardClient(StreamProcessorConfig.of(Map.of(
                "guard.modelUrl", "http://127.0.0.1:1", "guard.maxRetries", "1", "guard.retryBackoffMs", "1")).guard());
        assertThatThrownBy(() -> client.judge(List.of(new GuardItem("a", "x", List.of(), null))))
                .isInstanceOfSatisfying(GuardUnavailableException.class, e -> assertThat(e.reason()).isEqualTo("unreachable"));
    }
}
