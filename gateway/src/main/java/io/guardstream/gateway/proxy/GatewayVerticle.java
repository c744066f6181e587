package io.guardstream.gateway.proxy;

import io.guardstream.gateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.Map;

/** One event-loop instance of the gateway's HTTP server with its own upstream connections. */
public final class GatewayVerticle extends VerticleBase {

  private final GatewayConfig config;
  private final int port;
  private final ProxyHandler.Shared shared;
  private final Map<String, String> env;
  private UpstreamRouter router;
  private HttpServer server;
  private ProxyHandler handler;

  public GatewayVerticle(GatewayConfig config, int port, ProxyHandler.Shared shared, Map<String, String> env) {
    this.config = config;
    this.port = port;
    this.shared = shared;
    this.env = env;
  }

  @Override
  public Future<?> start() {
    router = new UpstreamRouter(vertx, config.upstreams, env, shared.metrics());
    HttpServerOptions options = new HttpServerOptions()
        .setPort(port)
        .setHost(config.server.host)
        .setTcpNoDelay(true)
        .setStrictThreadMode(true)
        .setHandle100ContinueAutomatically(true)
        .setCompressionSupported(false)
        .setMaxHeaderSize(64 * 1024)
        .setIdleTimeout(300);
    handler = new ProxyHandler(vertx, config, router, shared);
    server = vertx.createHttpServer(options).requestHandler(handler);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.onComplete(ar -> {
      if (handler != null) {
        handler.close();
      }
      if (router != null) {
        router.close();
      }
    });
  }

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
