package io.guardstream.gateway.proxy;

import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.gateway.metrics.GatewayMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * One upstream route with its own keep-alive connections ({@link UpstreamConnections}); each gateway verticle builds
 * its own. The upstream key is read from the environment once and only ever written into the upstream request's
 * Authorization header.
 */
final class Upstream {

  private final String name;
  private final String displayUrl;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final String basePath;
  private final List<String> models;
  private final String authorization;
  private final long readTimeoutMs;
  private final HttpClientAgent client;
  private final UpstreamConnections connections;
  private final Runnable unregisterGauges;

  Upstream(Vertx vertx, GatewayConfig.UpstreamRoute route, Map<String, String> env, GatewayMetrics metrics) {
    if (route.baseUrl == null || route.baseUrl.isBlank()) {
      throw new IllegalArgumentException("upstream '" + route.name + "' needs a baseUrl");
    }
    URI uri = URI.create(route.baseUrl.trim());
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException("upstream '" + route.name + "' baseUrl must be an http(s) URL");
    }
    this.name = route.name;
    this.host = uri.getHost();
    this.ssl = "https".equals(uri.getScheme());
    this.port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.displayUrl = (ssl ? "https" : "http") + "://" + host + ":" + port + basePath;
    this.models = route.models == null ? List.of() : List.copyOf(route.models);
    String key = route.apiKeyEnv == null ? null : env.get(route.apiKeyEnv);
    this.authorization = key == null || key.isBlank() ? null : "Bearer " + key.trim();
    this.readTimeoutMs = route.readTimeoutMs;
    HttpClientOptions options = new HttpClientOptions()
        .setSsl(ssl)
        .setTrustAll(false)
        .setVerifyHost(ssl)
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, route.connectTimeoutMs))
        .setDecompressionSupported(false)
        .setMaxInitialLineLength(8192)
        .setMaxHeaderSize(64 * 1024);
    this.client = vertx.createHttpClient(options);
    // the connect timeout is the client's: Vert.x 5.0 does not read HttpConnectOptions' own
    HttpConnectOptions connect = new HttpConnectOptions().setHost(host).setPort(port).setSsl(ssl);
    this.connections = new UpstreamConnections(vertx, client, connect, name, route.maxPoolSize,
        route.idleTimeoutSeconds * 1_000L, route.connectTimeoutMs);
    this.unregisterGauges = metrics.upstreamConnections(name, connections);
  }

  String name() {
    return name;
  }

  /** Scheme, host, port and base path; never credentials. */
  String displayUrl() {
    return displayUrl;
  }

  boolean serves(String model) {
    return model != null && models.contains(model);
  }

  boolean isDefault() {
    return models.isEmpty() || models.contains("*");
  }

  /** A request to {@code clientUri} mapped onto this upstream, on a connection of this event loop. */
  Future<HttpClientRequest> request(HttpMethod method, String clientUri) {
    return connections.request(new RequestOptions().setMethod(method).setURI(upstreamUri(clientUri)));
  }

  /** {@code /v1/chat/completions?x} becomes {@code <basePath>/chat/completions?x}. */
  private String upstreamUri(String clientUri) {
    String rest = clientUri.startsWith("/v1/") || clientUri.equals("/v1") ? clientUri.substring(3) : clientUri;
    return basePath + rest;
  }

  /** Longest upstream silence, before or during the answer (watched by {@link ReadDeadlines}); 0 or less: none. */
  long readTimeoutMs() {
    return readTimeoutMs;
  }

  /** Resets the upstream call, failing it with a {@link TimeoutException}, once it stays silent too long. */
  ReadDeadlines.Watch watchReads(ReadDeadlines deadlines, HttpClientRequest creq) {
    return deadlines.watch(readTimeoutMs,
        () -> creq.reset(0, new TimeoutException("Upstream " + name + " sent nothing for " + readTimeoutMs + " ms")));
  }

  /** Null when the route has no key. */
  String authorization() {
    return authorization;
  }

  void close() {
    unregisterGauges.run();
    connections.close();
    client.close();
  }

  @Override
  public String toString() {
    return "Upstream[" + name + " " + (ssl ? "https" : "http") + "://" + host + ":" + port + basePath + "]";
  }
}
