package io.guardstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.guardstream.gateway.exchange.ExchangeRecord;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ChatProxyTest extends SdkGatewayTest {

  @Test
  void plainCompletionComesBackExactlyAsUpstreamSentIt() throws Exception {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model("fake-model").addUserMessage("Say hello").user("end-user-42").build();

    ChatCompletion completion = sdk.chat().completions().create(params);
    assertThat(completion.id()).isEqualTo("chatcmpl-fake1");
    assertThat(completion.choices().get(0).message().content()).contains("Hello from the fake upstream \u00e9\u4e16");

    byte[] raw;
    String exchangeId;
    try (HttpResponseFor<ChatCompletion> response = sdk.chat().completions().withRawResponse().create(params)) {
      raw = response.body().readAllBytes();
      exchangeId = response.headers().values("x-guardstream-exchange-id").get(0);
      assertThat(response.headers().values("x-upstream-marker")).containsExactly("fake");
    }
    assertThat(new String(raw, StandardCharsets.UTF_8)).isEqualTo(FakeUpstream.PLAIN_BODY);

    ExchangeRecord exchange = awaitExchange(exchangeId);
    assertThat(exchange.tenantId()).isEqualTo("acme");
    assertThat(exchange.keyId()).isEqualTo("acme-key-1");
    assertThat(exchange.endUser()).isEqualTo("end-user-42");
    assertThat(exchange.model()).isEqualTo("fake-model");
    assertThat(exchange.upstream()).isEqualTo("fake");
    assertThat(exchange.stream()).isFalse();
    assertThat(exchange.httpStatus()).isEqualTo(200);
    assertThat(exchange.responseText()).isEqualTo("Hello from the fake upstream \u00e9\u4e16");
    assertThat(exchange.finishReason()).isEqualTo("stop");
    assertThat(exchange.usage().totalTokens()).isEqualTo(15);
    assertThat(exchange.messages()).hasSize(1);
    assertThat(exchange.messages().get(0).text()).isEqualTo("Say hello");
    assertThat(exchange.upstreamFirstByteAtMs()).isBetween(exchange.receivedAtMs(), exchange.completedAtMs());
    assertNoCredentials(exchange);
  }

  @Test
  void upstreamGetsTheClientBodyUnchangedWithTheUpstreamKeyOnly() throws Exception {
    String body = "{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}],"
        + "\"response_format\":{\"type\":\"json_object\"},  \"temperature\" : 0.25 }";
    HttpResponse<byte[]> response = fx.postJson(body);
    assertThat(response.statusCode()).isEqualTo(200);

    FakeUpstream.Received received = fx.upstream.last();
    assertThat(received.uri()).isEqualTo("/v1/chat/completions");
    assertThat(received.body().toString(StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(received.headers().get("authorization")).isEqualTo("Bearer " + GatewayFixture.UPSTREAM_KEY);
    assertThat(received.headers().toString()).doesNotContain(GatewayFixture.CLIENT_KEY);
    assertThat(response.headers().map().toString()).doesNotContain(GatewayFixture.UPSTREAM_KEY);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain(GatewayFixture.UPSTREAM_KEY);
  }

  @Test
  void streamedCompletionArrivesChunkForChunkAndIsAssembled() throws Exception {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model("fake-model").addUserMessage("Stream please")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }
    String text = chunks.stream().flatMap(c -> c.choices().stream())
        .map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
    assertThat(text).isEqualTo("Hello stream \u00e9\u4e16");
    assertThat(chunks).hasSize(5);
    assertThat(chunks.get(4).usage()).isPresent();
    assertThat(fx.upstream.last().json().getJsonObject("stream_options").getBoolean("include_usage")).isTrue();

    HttpResponse<byte[]> raw = fx.postJson("{\"model\":\"fake-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"raw\"}]}");
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
    assertThat(new String(raw.body(), StandardCharsets.UTF_8)).isEqualTo(FakeUpstream.sseBody());

    String exchangeId = raw.headers().firstValue("x-guardstream-exchange-id").orElseThrow();
    ExchangeRecord exchange = awaitExchange(exchangeId);
    assertThat(exchange.stream()).isTrue();
    assertThat(exchange.responseText()).isEqualTo("Hello stream \u00e9\u4e16");
    assertThat(exchange.finishReason()).isEqualTo("stop");
    assertThat(exchange.usage().totalTokens()).isEqualTo(8);
    assertThat(exchange.firstTokenAtMs()).isNotNull();
    assertThat(exchange.responseBytes()).isEqualTo(FakeUpstream.sseBody().getBytes(StandardCharsets.UTF_8).length);
    assertNoCredentials(exchange);
  }

  @Test
  void imagePartsPassIntactAndAreRecordedByHash() throws Exception {
    byte[] png = new byte[200];
    for (int i = 0; i < png.length; i++) {
      png[i] = (byte) i;
    }
    byte[] tiny = {1, 2, 3};
    String bigUri = "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    String tinyUri = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(tiny);
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model("fake-model")
        .addUserMessageOfArrayOfContentParts(List.of(
            ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is in these?").build()),
            ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(bigUri)
                    .detail(ChatCompletionContentPartImage.ImageUrl.Detail.HIGH).build()).build()),
            ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(tinyUri).build()).build()),
            ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url("https://example.org/cat.png").build()).build())))
        .build();
    String exchangeId;
    try (HttpResponseFor<ChatCompletion> response = sdk.chat().completions().withRawResponse().create(params)) {
      assertThat(response.parse().choices().get(0).message().content()).isPresent();
      exchangeId = response.headers().values("x-guardstream-exchange-id").get(0);
    }
    var sentParts = fx.upstream.last().json().getJsonArray("messages").getJsonObject(0).getJsonArray("content");
    assertThat(sentParts.getJsonObject(1).getJsonObject("image_url").getString("url")).isEqualTo(bigUri);
    assertThat(sentParts.getJsonObject(1).getJsonObject("image_url").getString("detail")).isEqualTo("high");

    ExchangeRecord exchange = awaitExchange(exchangeId);
    List<ExchangeRecord.Part> parts = exchange.messages().get(0).parts();
    assertThat(parts).extracting(ExchangeRecord.Part::type).containsExactly("text", "image_url", "image_url", "image_url");
    ExchangeRecord.ImageRef big = parts.get(1).image();
    assertThat(big.mimeType()).isEqualTo("image/png");
    assertThat(big.sizeBytes()).isEqualTo(200);
    assertThat(big.sha256()).isEqualTo(io.guardstream.gateway.exchange.ExchangeAssemblerTestAccess.sha256(png));
    assertThat(big.detail()).isEqualTo("high");
    assertThat(big.inlineData()).as("over the inline cap").isNull();
    assertThat(parts.get(2).image().inlineData()).containsExactly(tiny);
    assertThat(parts.get(3).image().url()).isEqualTo("https://example.org/cat.png");
  }

  @Test
  void modelsAndListedPassthroughPathsAreForwarded() throws Exception {
    var models = fx.get("/v1/models", GatewayFixture.CLIENT_KEY);
    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(models.body()).contains("fake-model");
    assertThat(models.headers().firstValue("x-guardstream-exchange-id")).isPresent();
    assertThat(fx.upstream.last().headers().get("authorization")).isEqualTo("Bearer " + GatewayFixture.UPSTREAM_KEY);

    var embeddings = fx.post("/v1/embeddings", "application/json", "{\"input\":\"x\"}".getBytes(), GatewayFixture.CLIENT_KEY);
    assertThat(embeddings.statusCode()).isEqualTo(200);
    assertThat(new String(embeddings.body())).contains("\"echo\":13");

    var unlisted = fx.post("/v1/audio/speech", "application/json", "{}".getBytes(), GatewayFixture.CLIENT_KEY);
    assertThat(unlisted.statusCode()).isEqualTo(404);
    assertThat(fx.get("/v1/models", "wrong").statusCode()).isEqualTo(401);
  }

  @Test
  void healthAndMetricsAnswer() throws Exception {
    fx.postJson("{\"model\":\"fake-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"m\"}]}");
    assertThat(fx.get("/health/live", null).statusCode()).isEqualTo(200);
    assertThat(fx.get("/health/ready", null).statusCode()).isEqualTo(200);
    var metrics = fx.get("/metrics", null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("guardstream_requests_total")
        .contains("guardstream_upstream_latency_seconds")
        .contains("guardstream_ttft_seconds")
        .contains("guardstream_stream_bytes_total")
        .contains("guardstream_publish_lag_seconds")
        .contains("guardstream_upstream_waiting{upstream=\"fake\"} 0.0");
    assertThat(gauge(metrics.body(), "guardstream_upstream_connections{state=\"open\",upstream=\"fake\"}"))
        .as("the answered request's keep-alive connection").isGreaterThanOrEqualTo(1.0)
        .isEqualTo(gauge(metrics.body(), "guardstream_upstream_connections{state=\"idle\",upstream=\"fake\"}"));
  }

  private static double gauge(String scrape, String series) {
    return scrape.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no " + series + " in the scrape"));
  }

  private static ExchangeRecord awaitExchange(String id) {
    return await().atMost(Duration.ofSeconds(10)).until(() -> fx.publisher.byId(id), e -> e != null);
  }

  static void assertNoCredentials(ExchangeRecord exchange) {
    String all = exchange.toString();
    assertThat(all).doesNotContain(GatewayFixture.CLIENT_KEY).doesNotContain(GatewayFixture.UPSTREAM_KEY)
        .doesNotContain(io.guardstream.gateway.auth.ApiKeyAuthenticator.sha256Hex(GatewayFixture.CLIENT_KEY));
  }
}
