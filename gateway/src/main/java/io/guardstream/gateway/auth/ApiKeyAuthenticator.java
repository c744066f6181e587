package io.guardstream.gateway.auth;

import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.gateway.errors.ApiError;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves {@code Authorization: Bearer <key>} to a {@link Principal} by the key's SHA-256 hash.
 * The raw key is hashed and dropped at once; only the hash lives in config and memory.
 * With no keys configured every caller is {@link Principal#ANONYMOUS}.
 */
public final class ApiKeyAuthenticator {

  /** Keyed by the digest bytes, so a request costs one digest and no hex string. */
  private final Map<ByteBuffer, Principal> byHash = new HashMap<>();

  public ApiKeyAuthenticator(List<GatewayConfig.ApiKey> keys) {
    for (GatewayConfig.ApiKey key : keys) {
      if (key.sha256 == null || !key.sha256.matches("(?i)[0-9a-f]{64}")) {
        throw new IllegalArgumentException("apiKeys entry needs sha256: 64 hex digits");
      }
      String hash = key.sha256.toLowerCase(Locale.ROOT);
      String id = key.id != null ? key.id : hash.substring(0, 12);
      byHash.put(ByteBuffer.wrap(HexFormat.of().parseHex(hash)), new Principal(key.tenant, id, key.policy));
    }
  }

  public boolean open() {
    return byHash.isEmpty();
  }

  public Principal authenticate(String authorizationHeader) {
    if (byHash.isEmpty()) {
      return Principal.ANONYMOUS;
    }
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw ApiError.unauthorized("Missing API key: send Authorization: Bearer <key>");
    }
    Principal principal = byHash.get(ByteBuffer.wrap(sha256(authorizationHeader.substring(7).trim())));
    if (principal == null) {
      throw ApiError.unauthorized("Incorrect API key provided");
    }
    return principal;
  }

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  public static String sha256Hex(String value) {
    return HexFormat.of().formatHex(sha256(value));
  }

  private static byte[] sha256(String value) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return digest.digest(value.getBytes(StandardCharsets.UTF_8));
  }
}
