package io.guardstream.gateway.proxy;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which headers cross the gateway: hop-by-hop headers never do, credentials never do. */
final class Headers {

  static final String EXCHANGE_ID = "x-guardstream-exchange-id";

  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
      "te", "trailer", "trailers", "transfer-encoding", "upgrade");

  private static final Set<String> NOT_TO_UPSTREAM = Set.of(
      "host", "content-length", "authorization", "api-key", "x-api-key", "cookie", "accept-encoding",
      "expect", "forwarded", "x-forwarded-for", "x-real-ip");

  private static final Set<String> NOT_TO_CLIENT = Set.of("set-cookie", "www-authenticate");

  private Headers() {
  }

  static void copyToUpstream(MultiMap from, MultiMap to) {
    for (Map.Entry<String, String> h : from) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(name) && !NOT_TO_UPSTREAM.contains(name)) {
        to.add(h.getKey(), h.getValue());
      }
    }
  }

  static void copyToClient(MultiMap from, MultiMap to, boolean keepContentLength) {
    for (Map.Entry<String, String> h : from) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name) || NOT_TO_CLIENT.contains(name) || name.equals(EXCHANGE_ID)) {
        continue;
      }
      if (!keepContentLength && name.equals("content-length")) {
        continue;
      }
      to.add(h.getKey(), h.getValue());
    }
  }
}
