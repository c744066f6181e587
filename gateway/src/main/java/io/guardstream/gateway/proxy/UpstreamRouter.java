package io.guardstream.gateway.proxy;

import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.gateway.metrics.GatewayMetrics;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Picks the upstream for a model: the first route naming it, else the default route. */
final class UpstreamRouter {

  private final List<Upstream> upstreams = new ArrayList<>();
  private final Upstream fallback;

  UpstreamRouter(Vertx vertx, List<GatewayConfig.UpstreamRoute> routes, Map<String, String> env,
      GatewayMetrics metrics) {
    Upstream def = null;
    for (GatewayConfig.UpstreamRoute route : routes) {
      Upstream upstream = new Upstream(vertx, route, env, metrics);
      upstreams.add(upstream);
      if (def == null && upstream.isDefault()) {
        def = upstream;
      }
    }
    this.fallback = def != null ? def : (upstreams.isEmpty() ? null : upstreams.get(0));
  }

  Upstream route(String model) {
    for (Upstream upstream : upstreams) {
      if (upstream.serves(model)) {
        return upstream;
      }
    }
    return fallback;
  }

  /** The shortest positive read timeout of all routes, or 0 when none has one. */
  long shortestReadTimeoutMs() {
    return upstreams.stream().mapToLong(Upstream::readTimeoutMs).filter(ms -> ms > 0).min().orElse(0);
  }

  Upstream defaultUpstream() {
    return fallback;
  }

  void close() {
    upstreams.forEach(Upstream::close);
  }
}
