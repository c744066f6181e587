package io.guardstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.errors.InternalServerException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.guardstream.gateway.config.GatewayConfig;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProxyErrorsTest {

  private static GatewayFixture fx;

  @BeforeAll
  static void start() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    int deadPort = closedPort;
    fx = new GatewayFixture(config -> {
      config.limits.maxBodyBytes = 64 * 1024;
      config.limits.maxImageParts = 2;
      config.limits.maxMessages = 4;
      config.limits.maxJsonDepth = 16;
      GatewayConfig.UpstreamRoute dead = new GatewayConfig.UpstreamRoute();
      dead.name = "dead";
      dead.baseUrl = "http://127.0.0.1:" + deadPort + "/v1";
      dead.models = List.of("unreachable-model");
      config.upstreams.add(0, dead);
    });
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @AfterEach
  void gatewayKeepsServing() throws Exception {
    HttpResponse<byte[]> ok = fx.postJson("{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":\"still there?\"}]}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo(FakeUpstream.PLAIN_BODY);
  }

  @Test
  void plainAnswerCutShortOfItsDeclaredLengthIsRecordedAsAnUpstreamBodyError() throws Exception {
    assertThatThrownBy(() -> fx.postJson("{\"model\":\"fake-short-body\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isInstanceOf(java.io.IOException.class);
    var exchange = await().atMost(Duration.ofSeconds(5)).until(() -> fx.publisher.byModel("fake-short-body"), e -> e != null);
    assertThat(exchange.errorCode()).isEqualTo("upstream_body_error");
  }

  @Test
  void malformedJsonIs400() throws Exception {
    assertError(fx.postJson("{\"model\":\"x\",\"messages\":[}"), 400, "invalid_json", null);
    assertError(fx.postJson("[1,2]"), 400, "invalid_json", null);
  }

  @Test
  void wrongContentTypeIs400() throws Exception {
    byte[] body = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}".getBytes();
    assertError(fx.post("/v1/chat/completions", "text/plain", body, GatewayFixture.CLIENT_KEY), 400, "invalid_content_type", null);
    assertError(fx.post("/v1/chat/completions", null, body, GatewayFixture.CLIENT_KEY), 400, "invalid_content_type", null);
  }

  @Test
  void missingMessagesIs400() throws Exception {
    assertError(fx.postJson("{\"model\":\"fake-model\"}"), 400, "missing_required_parameter", "messages");
    assertError(fx.postJson("{\"model\":\"fake-model\",\"messages\":[]}"), 400, "invalid_type", "messages");
  }

  @Test
  void invalidUtf8Is400() throws Exception {
    byte[] prefix = "{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":\"".getBytes();
    byte[] suffix = "\"}]}".getBytes();
    byte[] body = new byte[prefix.length + 2 + suffix.length];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    body[prefix.length] = (byte) 0xC3;
    body[prefix.length + 1] = (byte) 0x28;
    System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
    assertError(fx.post("/v1/chat/completions", "application/json", body, GatewayFixture.CLIENT_KEY), 400, "invalid_encoding", null);
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    String big = "x".repeat(100 * 1024);
    assertError(fx.postJson("{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}"),
        413, "request_too_large", null);
  }

  @Test
  void tooDeepJsonTooManyMessagesAndImagesAre400() throws Exception {
    String deep = "[".repeat(40) + "]".repeat(40);
    assertError(fx.postJson("{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"x\":" + deep + "}"),
        400, "json_too_deep", null);
    String msg = "{\"role\":\"user\",\"content\":\"x\"}";
    assertError(fx.postJson("{\"model\":\"fake-model\",\"messages\":[" + String.join(",", List.of(msg, msg, msg, msg, msg)) + "]}"),
        400, "too_many_messages", "messages");
    String img = "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}";
    assertError(fx.postJson("{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":[" + img + "," + img + "," + img + "]}]}"),
        400, "too_many_images", "messages");
    assertThat(fx.upstream.received()).noneMatch(r -> r.body().toString().contains("AAAA"));
  }

  @Test
  void unknownOrMissingKeyIs401() throws Exception {
    byte[] body = "{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}".getBytes();
    assertError(fx.post("/v1/chat/completions", "application/json", body, "sk-wrong"), 401, "invalid_api_key", null);
    assertError(fx.post("/v1/chat/completions", "application/json", body, null), 401, "invalid_api_key", null);
    OpenAIClient wrong = com.openai.client.okhttp.OpenAIOkHttpClient.builder().baseUrl(fx.baseUrl())
        .apiKey("sk-wrong").maxRetries(0).build();
    try {
      assertThatThrownBy(() -> wrong.chat().completions().create(ChatCompletionCreateParams.builder()
          .model("fake-model").addUserMessage("x").build())).isInstanceOf(UnauthorizedException.class);
    } finally {
      wrong.close();
    }
  }

  @Test
  void upstreamErrorsArePassedThrough() throws Exception {
    HttpResponse<byte[]> r500 = fx.postJson("{\"model\":\"fake-error\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(r500.statusCode()).isEqualTo(500);
    assertThat(new String(r500.body())).contains("upstream exploded");
    HttpResponse<byte[]> r429 = fx.postJson("{\"model\":\"fake-429\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(r429.statusCode()).isEqualTo(429);
    assertThat(r429.headers().firstValue("retry-after")).hasValue("7");
    assertThat(statusLine("fake-429")).isEqualTo("HTTP/1.1 429 Slow Down Please");
    assertThat(statusLine("fake-model")).isEqualTo("HTTP/1.1 200 OK");
    OpenAIClient sdk = fx.sdk();
    try {
      assertThatThrownBy(() -> sdk.chat().completions().create(ChatCompletionCreateParams.builder()
          .model("fake-error").addUserMessage("x").build()))
          .isInstanceOf(InternalServerException.class).hasMessageContaining("upstream exploded");
    } finally {
      sdk.close();
    }
    String id = r500.headers().firstValue("x-guardstream-exchange-id").orElseThrow();
    var exchange = await().atMost(Duration.ofSeconds(5)).until(() -> fx.publisher.byId(id), e -> e != null);
    assertThat(exchange.httpStatus()).isEqualTo(500);
    assertThat(exchange.errorMessage()).isEqualTo("upstream exploded");
  }

  /** The status line as the client reads it off the socket (java.net.http does not expose the reason phrase). */
  private String statusLine(String model) throws Exception {
    String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    try (Socket socket = new Socket("127.0.0.1", fx.gateway.port())) {
      socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
          + "Authorization: Bearer " + GatewayFixture.CLIENT_KEY + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
          .getBytes(StandardCharsets.UTF_8));
      return new BufferedReader(new InputStreamReader(socket.getInputStream(),
          StandardCharsets.ISO_8859_1)).readLine();
    }
  }

  @Test
  void unreachableUpstreamIs502() throws Exception {
    HttpResponse<byte[]> r = fx.postJson("{\"model\":\"unreachable-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertError(r, 502, "upstream_unreachable", null);
    String id = r.headers().firstValue("x-guardstream-exchange-id").orElseThrow();
    var exchange = await().atMost(Duration.ofSeconds(5)).until(() -> fx.publisher.byId(id), e -> e != null);
    assertThat(exchange.httpStatus()).isEqualTo(502);
    assertThat(exchange.upstream()).isEqualTo("dead");
    assertThat(exchange.errorCode()).isEqualTo("upstream_unreachable");
  }

  @Test
  void stalledUpstreamIs504() throws Exception {
    long t0 = System.nanoTime();
    assertError(fx.postJson("{\"model\":\"fake-stall\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
        504, "upstream_timeout", null);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(8));
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() throws Exception {
    assertError(fx.post("/v1/nope", "application/json", "{}".getBytes(), GatewayFixture.CLIENT_KEY), 404, "not_found", null);
    var r = fx.get("/v1/chat/completions", GatewayFixture.CLIENT_KEY);
    assertThat(r.statusCode()).isEqualTo(405);
  }

  private static void assertError(HttpResponse<byte[]> response, int status, String code, String param) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("x-guardstream-exchange-id")).isPresent();
    JsonObject error = new JsonObject(new String(response.body(), StandardCharsets.UTF_8)).getJsonObject("error");
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("param")).isEqualTo(param);
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("type")).isNotBlank();
  }
}
