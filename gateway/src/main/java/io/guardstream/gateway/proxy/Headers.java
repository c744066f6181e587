package io.guardstream.gateway.proxy;

import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Which headers cross the gateway: hop-by-hop headers never do, credentials never do. */
final class Headers {

  static final String EXCHANGE_ID = "x-guardstream-exchange-id";

  private static final Set<String> HOP_BY_HOP = caseInsensitive(
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
      "te", "trailer", "trailers", "transfer-encoding", "upgrade");

  private static final Set<String> NOT_TO_UPSTREAM = caseInsensitive(
      "host", "content-length", "authorization", "api-key", "x-api-key", "cookie", "accept-encoding",
      "expect", "forwarded", "x-forwarded-for", "x-real-ip");

  private static final Set<String> NOT_TO_CLIENT = caseInsensitive("set-cookie", "www-authenticate", EXCHANGE_ID);

  private static Set<String> caseInsensitive(String... names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(java.util.List.of(names));
    return set;
  }

  private Headers() {
  }

  static void copyToUpstream(MultiMap from, MultiMap to) {
    for (Map.Entry<String, String> h : from) {
      String name = h.getKey();
      if (!HOP_BY_HOP.contains(name) && !NOT_TO_UPSTREAM.contains(name)) {
        to.add(name, h.getValue());
      }
    }
  }

  static void copyToClient(MultiMap from, MultiMap to, boolean keepContentLength) {
    for (Map.Entry<String, String> h : from) {
      String name = h.getKey();
      if (HOP_BY_HOP.contains(name) || NOT_TO_CLIENT.contains(name)
          || (!keepContentLength && name.equalsIgnoreCase("content-length"))) {
        continue;
      }
      to.add(name, h.getValue());
    }
  }
}
