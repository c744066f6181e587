package io.guardstream.gateway;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.guardstream.gateway.config.ConfigLoader;
import io.guardstream.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A gateway in front of a {@link FakeUpstream}, with one client key and one upstream key, on the transport a gateway
 * picks for itself here ({@code server.transport: auto}), so the proxy tests exercise the production I/O path.
 */
final class GatewayFixture implements AutoCloseable {

  static final String CLIENT_KEY = "sk-client-secret-0123456789";
  static final String UPSTREAM_KEY = "sk-upstream-secret-9876543210";

  final Vertx vertx = Vertx.builder().withTransport(GatewayTransport.resolve(GatewayTransport.AUTO)).build();
  final FakeUpstream upstream = new FakeUpstream(vertx);
  final RecordingPublisher publisher = new RecordingPublisher();
  final Gateway gateway;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  GatewayFixture() throws Exception {
    this(c -> { });
  }

  GatewayFixture(Consumer<GatewayConfig> customize) throws Exception {
    this(customize, g -> { });
  }

  GatewayFixture(Consumer<GatewayConfig> customize, Consumer<Gateway> stages) throws Exception {
    int upstreamPort = upstream.start();
    GatewayConfig config = new GatewayConfig();
    config.server.port = 0;
    config.server.host = "127.0.0.1";
    config.server.instances = 1;
    GatewayConfig.UpstreamRoute route = new GatewayConfig.UpstreamRoute();
    route.name = "fake";
    route.baseUrl = "http://127.0.0.1:" + upstreamPort + "/v1";
    route.models = List.of("*");
    route.apiKeyEnv = "FAKE_UPSTREAM_KEY";
    route.readTimeoutMs = 1500;
    config.upstreams.add(route);
    config.passthrough.add("/v1/embeddings");
    ConfigLoader.addApiKey(config, CLIENT_KEY);
    config.apiKeys.get(0).tenant = "acme";
    config.apiKeys.get(0).id = "acme-key-1";
    config.exchanges.inlineImageMaxBytes = 64;
    customize.accept(config);
    gateway = Gateway.create(vertx, config).publisher(publisher)
        .environment(Map.of("FAKE_UPSTREAM_KEY", UPSTREAM_KEY));
    stages.accept(gateway);
    gateway.start().await(20, TimeUnit.SECONDS);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + gateway.port() + "/v1";
  }

  OpenAIClient sdk() {
    return OpenAIOkHttpClient.builder().baseUrl(baseUrl()).apiKey(CLIENT_KEY).maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  HttpResponse<byte[]> post(String path, String contentType, byte[] body, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> postJson(String json) throws Exception {
    return post("/v1/chat/completions", "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8), CLIENT_KEY);
  }

  HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .timeout(Duration.ofSeconds(20)).GET();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    gateway.stop().await(10, TimeUnit.SECONDS);
    upstream.stop();
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
