package io.guardstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

class StreamFailureTest extends SdkGatewayTest {

  @Test
  void upstreamDyingMidStreamEndsTheClientStreamWithAnOpenAiErrorEvent() throws Exception {
    HttpResponse<byte[]> raw = fx.postJson("{\"model\":\"fake-fail-mid\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(raw.statusCode()).isEqualTo(200);
    String body = new String(raw.body(), StandardCharsets.UTF_8);
    assertThat(body).startsWith(FakeUpstream.SSE_CHUNKS.get(1) + FakeUpstream.SSE_CHUNKS.get(2) + FakeUpstream.SSE_CHUNKS.get(3));
    assertThat(body).contains("data: {\"error\":{\"message\":").contains("\"code\":\"upstream_stream_error\"")
        .endsWith("\n\n").doesNotContain("[DONE]");

    String id = raw.headers().firstValue("x-guardstream-exchange-id").orElseThrow();
    var exchange = await().atMost(Duration.ofSeconds(5)).until(() -> fx.publisher.byId(id), e -> e != null);
    assertThat(exchange.errorCode()).isEqualTo("upstream_stream_error");
    assertThat(exchange.responseText()).isEqualTo("Hello stream \u00e9\u4e16");

    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("fake-fail-mid").addUserMessage("x").build())) {
      assertThatThrownBy(() -> stream.stream().forEach(c -> { })).hasMessageContaining("mid-stream");
    }
  }

  @Test
  void upstreamFallingSilentMidStreamEndsTheClientStreamWithATimeoutErrorEvent() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<byte[]> raw = fx.postJson("{\"model\":\"fake-stall-mid\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(raw.statusCode()).isEqualTo(200);
    String body = new String(raw.body(), StandardCharsets.UTF_8);
    assertThat(body).startsWith(FakeUpstream.SSE_CHUNKS.get(1) + FakeUpstream.SSE_CHUNKS.get(2) + FakeUpstream.SSE_CHUNKS.get(3));
    assertThat(body).contains("\"code\":\"upstream_timeout\"").endsWith("\n\n").doesNotContain("[DONE]");
    // the fixture's readTimeoutMs is 1500, which read deadlines never cut short
    assertThat(took).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(8));

    String id = raw.headers().firstValue("x-guardstream-exchange-id").orElseThrow();
    var exchange = await().atMost(Duration.ofSeconds(5)).until(() -> fx.publisher.byId(id), e -> e != null);
    assertThat(exchange.errorCode()).isEqualTo("upstream_timeout");
    assertThat(exchange.responseText()).isEqualTo("Hello stream \u00e9\u4e16");
  }

  @Test
  void upstreamFallingSilentMidBodyResetsTheClientConnection() throws Exception {
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> fx.postJson("{\"model\":\"fake-stall-body\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isInstanceOf(java.io.IOException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(8));
    var exchange = await().atMost(Duration.ofSeconds(5)).until(() -> fx.publisher.byModel("fake-stall-body"), e -> e != null);
    assertThat(exchange.errorCode()).isEqualTo("upstream_timeout");
  }

  @Test
  void aSlowButLiveStreamOutlastingTheReadTimeoutIsNotCut() throws Exception {
    HttpResponse<InputStream> response = openStream("fake-slow");
    StringBuilder received = new StringBuilder();
    long until = System.nanoTime() + Duration.ofMillis(2500).toNanos(); // the fixture's readTimeoutMs is 1500
    try (InputStream in = response.body()) {
      byte[] buf = new byte[4096];
      while (System.nanoTime() < until) {
        int n = in.read(buf);
        assertThat(n).as("stream still open").isPositive();
        received.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    }
    assertThat(received.toString()).doesNotContain("error");
    assertThat(received.toString().split("chatcmpl-slow", -1).length).as("events in 2.5 s, one per 50 ms").isGreaterThan(30);
  }

  @Test
  void timeTheGatewayHoldsTheUpstreamPausedForASlowClientIsNotSilence() throws Exception {
    HttpResponse<InputStream> response = openStream("fake-big-stream");
    Thread.sleep(3000); // not reading: the gateway's write queue fills and it pauses the upstream
    String body;
    try (InputStream in = response.body()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(body).doesNotContain("upstream_timeout").endsWith("data: [DONE]\n\n");
    assertThat(body.split("chatcmpl-big", -1)).hasSize(FakeUpstream.BIG_STREAM_EVENTS + 1);
  }

  @Test
  void plainAnswerSentInChunksWithoutALengthArrivesIntact() throws Exception {
    HttpResponse<byte[]> raw = fx.postJson("{\"model\":\"fake-chunked-json\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(new String(raw.body(), StandardCharsets.UTF_8)).isEqualTo(FakeUpstream.PLAIN_BODY);
  }

  @Test
  void clientDisconnectCancelsTheUpstreamRequest() throws Exception {
    String exchangeId;
    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("fake-slow").addUserMessage("x").build())) {
      Iterator<ChatCompletionChunk> it = stream.stream().iterator();
      for (int i = 0; i < 3; i++) {
        assertThat(it.hasNext()).isTrue();
        it.next();
      }
      exchangeId = null;
    }
    assertThat(fx.upstream.awaitSlowStreamClosed(3000)).as("upstream connection closed after client left").isTrue();
    int sent = fx.upstream.slowChunksSent();
    Thread.sleep(300);
    assertThat(fx.upstream.slowChunksSent()).isEqualTo(sent);
    var exchange = await().atMost(Duration.ofSeconds(5))
        .until(() -> fx.publisher.byModel("fake-slow"), e -> e != null);
    assertThat(exchange.errorCode()).isEqualTo("client_disconnected");
    assertThat(exchange.responseText()).startsWith("tick tick");
    assertThat(exchangeId).isNull();
  }

  /** A streamed chat completion whose body the test reads at its own pace. */
  private static HttpResponse<InputStream> openStream(String model) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(fx.baseUrl() + "/chat/completions"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + GatewayFixture.CLIENT_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .build();
    return fx.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
  }
}
