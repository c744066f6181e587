package io.guardstream.gateway.bench;

import io.guardstream.gateway.GatewayTransport;
import io.guardstream.gateway.config.GatewayConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The framework's ceiling for {@code bench/gateway-overhead.sh}: a proxy with the gateway's transport, event-loop
 * count and pooled upstream client, and none of its code (no auth, validation, metrics or exchange records).
 * Usage: {@code BareVertxProxy PORT UPSTREAM_HOST UPSTREAM_PORT [TRANSPORT=auto]} (as {@code server.transport}).
 */
public final class BareVertxProxy extends VerticleBase {

  private final int port;
  private final String upstreamHost;
  private final int upstreamPort;
  private HttpClient client;

  private BareVertxProxy(int port, String upstreamHost, int upstreamPort) {
    this.port = port;
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    String host = args[1];
    int upstreamPort = Integer.parseInt(args[2]);
    var transport = GatewayTransport.resolve(args.length > 3 ? args[3] : GatewayTransport.AUTO);
    Vertx vertx = Vertx.builder().withTransport(transport).build();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> new BareVertxProxy(port, host, upstreamPort), new DeploymentOptions().setInstances(instances))
        .await();
    System.out.println("bare Vert.x proxy on " + port + " (" + instances + " event loops, "
        + "transport " + GatewayTransport.describe(transport) + ")");
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(GatewayConfig.UpstreamRoute.DEFAULT_POOL_SIZE));
    return vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1").setTcpNoDelay(true)
            .setStrictThreadMode(true))
        .requestHandler(this::proxy)
        .listen();
  }

  private void proxy(HttpServerRequest req) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(upstreamHost)
        .setPort(upstreamPort).setURI(req.uri());
    req.body()
        .compose(body -> client.request(options)
            .compose(upstream -> upstream.putHeader(HttpHeaders.CONTENT_TYPE, req.getHeader(HttpHeaders.CONTENT_TYPE))
                .send(body)))
        .compose(answer -> answer.body().map(bytes -> req.response()
            .setStatusCode(answer.statusCode())
            .putHeader(HttpHeaders.CONTENT_TYPE, answer.getHeader(HttpHeaders.CONTENT_TYPE))
            .end(bytes)))
        .onFailure(e -> req.response().setStatusCode(502).end());
  }
}
