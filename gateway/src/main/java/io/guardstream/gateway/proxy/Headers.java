package io.guardstream.gateway.proxy;

import io.vertx.core.MultiMap;

/** Which headers cross the gateway: hop-by-hop headers never do, credentials never do. */
final class Headers {

  static final String EXCHANGE_ID = "x-guardstream-exchange-id";

  private static final int HOP_BY_HOP = 1;
  private static final int NOT_TO_UPSTREAM = 2;
  private static final int NOT_TO_CLIENT = 4;
  private static final int CONTENT_LENGTH = 8;

  /** Header names (lower case) with their rules, looked up by a case-insensitive hash; no allocation per lookup. */
  private static final NameTable RULES = new NameTable()
      .put(HOP_BY_HOP, "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
          "te", "trailer", "trailers", "transfer-encoding", "upgrade")
      .put(NOT_TO_UPSTREAM, "host", "content-length", "authorization", "api-key", "x-api-key", "cookie",
          "accept-encoding", "expect", "forwarded", "x-forwarded-for", "x-real-ip")
      .put(NOT_TO_CLIENT, "set-cookie", "www-authenticate", EXCHANGE_ID)
      .put(CONTENT_LENGTH, "content-length");

  private Headers() {
  }

  static void copyToUpstream(MultiMap from, MultiMap to) {
    from.forEach((name, value) -> {
      if ((RULES.get(name) & (HOP_BY_HOP | NOT_TO_UPSTREAM)) == 0) {
        to.add(name, value);
      }
    });
  }

  static void copyToClient(MultiMap from, MultiMap to, boolean keepContentLength) {
    int drop = HOP_BY_HOP | NOT_TO_CLIENT | (keepContentLength ? 0 : CONTENT_LENGTH);
    from.forEach((name, value) -> {
      if ((RULES.get(name) & drop) == 0) {
        to.add(name, value);
      }
    });
  }

  /** A small open-addressing table from ASCII header names, compared ignoring case, to rule bits. */
  static final class NameTable {

    private final String[] names = new String[128];
    private final int[] rules = new int[128];

    NameTable put(int rule, String... lowerCaseNames) {
      for (String name : lowerCaseNames) {
        int slot = hash(name) & (names.length - 1);
        while (names[slot] != null && !names[slot].equals(name)) {
          slot = (slot + 1) & (names.length - 1);
        }
        names[slot] = name;
        rules[slot] |= rule;
      }
      return this;
    }

    int get(CharSequence name) {
      int slot = hash(name) & (names.length - 1);
      String candidate;
      while ((candidate = names[slot]) != null) {
        if (equalsIgnoreAsciiCase(candidate, name)) {
          return rules[slot];
        }
        slot = (slot + 1) & (names.length - 1);
      }
      return 0;
    }

    private static int hash(CharSequence name) {
      int h = name.length();
      for (int i = 0; i < name.length(); i++) {
        h = 31 * h + lower(name.charAt(i));
      }
      return h ^ (h >>> 16);
    }

    private static boolean equalsIgnoreAsciiCase(String lowerCase, CharSequence name) {
      if (lowerCase.length() != name.length()) {
        return false;
      }
      for (int i = 0; i < lowerCase.length(); i++) {
        if (lowerCase.charAt(i) != lower(name.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    private static char lower(char c) {
      return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
  }
}
