package io.guardstream.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guardstream.gateway.Gateway;
import io.guardstream.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka unreachable and a tiny spool: the policy decides between 503 and counted drops. */
class SpoolFullPolicyTest {

  @TempDir
  Path tmp;

  private Vertx vertx;
  private HttpServer upstream;
  private Gateway gateway;
  private KafkaExchangePublisher publisher;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startUpstream() throws Exception {
    vertx = Vertx.vertx();
    upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> req.response()
        .putHeader("content-type", "application/json")
        .end("{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}")))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.stop().await(30, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void refusePolicyAnswers503OnceTheSpoolIsFull() throws Exception {
    start("refuse");
    int firstRefusal = -1;
    for (int i = 0; i < 40 && firstRefusal < 0; i++) {
      HttpResponse<String> r = chat();
      if (r.statusCode() == 503) {
        firstRefusal = i;
        assertThat(r.body()).contains("\"code\":\"exchange_spool_full\"");
      } else {
        assertThat(r.statusCode()).isEqualTo(200);
        Thread.sleep(100);
      }
    }
    assertThat(firstRefusal).as("a request was refused").isPositive();
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(publisher.backlog()).as("every served exchange is still held").isEqualTo(firstRefusal);
  }

  @Test
  void dropPolicyKeepsServingAndCountsTheLoss() throws Exception {
    start("drop");
    for (int i = 0; i < 12; i++) {
      assertThat(chat().statusCode()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.meterRegistry().get("guardstream.publish.dropped").counter().count() > 0);
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(gateway.meterRegistry().scrape()).contains("guardstream_publish_dropped_total");
  }

  private void start(String policy) throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    GatewayConfig config = new GatewayConfig();
    config.server.port = 0;
    config.server.host = "127.0.0.1";
    config.server.instances = 1;
    GatewayConfig.UpstreamRoute route = new GatewayConfig.UpstreamRoute();
    route.baseUrl = "http://127.0.0.1:" + upstream.actualPort() + "/v1";
    route.models = List.of("*");
    config.upstreams.add(route);
    config.publisher.bootstrapServers = "127.0.0.1:" + dead;
    config.publisher.schemaRegistryUrl = "http://127.0.0.1:" + dead;
    config.publisher.spoolDir = tmp.resolve("spool").toString();
    config.publisher.spoolMaxBytes = 1200;
    config.publisher.spoolFullPolicy = policy;
    config.publisher.deliveryTimeoutMs = 800;
    gateway = Gateway.create(vertx, config).publisher(metrics -> {
      publisher = new KafkaExchangePublisher(config.publisher, "gw-spool", metrics,
          Map.of("schema.registry.max.retries", "0"));
      return publisher;
    });
    gateway.start().await(20, TimeUnit.SECONDS);
  }

  private HttpResponse<String> chat() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello spool\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
