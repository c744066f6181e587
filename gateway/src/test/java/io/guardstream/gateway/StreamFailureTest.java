package io.guardstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
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
}
