package io.guardstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.guardstream.gateway.auth.ApiKeyAuthenticator;
import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.gateway.demo.DemoUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GatewayMainTest {

  @Test
  void flagsWinOverDefaults() throws Exception {
    GatewayConfig config = GatewayMain.parse(new String[] {"--port", "9123", "--upstream=http://127.0.0.1:8000/v1", "--api-key", "sk-x"});
    assertThat(config.server.port).isEqualTo(9123);
    assertThat(config.defaultRoute().baseUrl).isEqualTo("http://127.0.0.1:8000/v1");
    assertThat(config.apiKeys).singleElement().satisfies(k -> {
      assertThat(k.sha256).isEqualTo(ApiKeyAuthenticator.sha256Hex("sk-x"));
      assertThat(k.tenant).isEqualTo("default");
    });
    assertThatThrownBy(() -> GatewayMain.parse(new String[] {"--bogus", "1"})).hasMessageContaining("unknown option");
    assertThatThrownBy(() -> GatewayMain.parse(new String[] {"--port"})).hasMessageContaining("missing value");
  }

  @Test
  void withNoUpstreamTheLabelledDemoUpstreamAnswersPlainAndStreamed() throws Exception {
    Gateway gateway = startDemoGateway();
    OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
        .apiKey("sk-demo").maxRetries(0).build();
    try {
      var completion = sdk.chat().completions().create(ChatCompletionCreateParams.builder()
          .model(DemoUpstream.MODEL).addUserMessage("hello there").build());
      assertThat(completion.choices().get(0).message().content().orElseThrow())
          .startsWith(DemoUpstream.LABEL).endsWith("You said: hello there");
      String streamed;
      try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(
          ChatCompletionCreateParams.builder().model(DemoUpstream.MODEL).addUserMessage("stream it").build())) {
        streamed = stream.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
            .collect(Collectors.joining());
      }
      assertThat(streamed).startsWith(DemoUpstream.LABEL).endsWith("You said: stream it");
      assertThat(sdk.models().list().data()).extracting(m -> m.id()).contains(DemoUpstream.MODEL);
    } finally {
      sdk.close();
      gateway.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void ownVertxExposesTheGatewayMetersButNoPerRequestVertxHttpMeters() throws Exception {
    Gateway gateway = startDemoGateway();
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + gateway.port();
    try {
      for (String stream : new String[] {"false", "true"}) {
        HttpResponse<String> chat = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
            .header("Content-Type", "application/json").header("Authorization", "Bearer sk-demo")
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + DemoUpstream.MODEL + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chat.statusCode()).isEqualTo(200);
      }
      String scrape = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(scrape)
          .contains("guardstream_requests_total{route=\"chat\",status=\"200\"} 2.0")
          .contains("guardstream_upstream_latency_seconds_count{upstream=\"demo\"} 2")
          .contains("guardstream_ttft_seconds_count{upstream=\"demo\"} 1")
          .contains("guardstream_stream_bytes_total")
          .contains("guardstream_response_bytes_total")
          .contains("guardstream_publish_lag_seconds")
          .doesNotContain("vertx_http_server_requests")
          .doesNotContain("vertx_http_client_requests");
    } finally {
      gateway.stop().await(10, TimeUnit.SECONDS);
    }
  }

  /** A gateway on a free loopback port, one event loop, key {@code sk-demo}, no upstream: the demo upstream answers. */
  private static Gateway startDemoGateway() throws Exception {
    return startDemoGateway(GatewayTransport.AUTO);
  }

  /** A gateway with its own Vert.x on {@code transport}, one event loop, key {@code sk-demo}, the demo upstream. */
  static Gateway startDemoGateway(String transport) throws Exception {
    GatewayConfig config = GatewayMain.parse(new String[] {"--port", "0", "--api-key", "sk-demo"});
    config.server.host = "127.0.0.1";
    config.server.instances = 1;
    config.server.transport = transport;
    Gateway gateway = Gateway.create(config);
    gateway.start().await(20, TimeUnit.SECONDS);
    return gateway;
  }
}
