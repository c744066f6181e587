package io.guardstream.streams.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/** Maps a bearer token to what it may see: every tenant (admin token) or one tenant (tenant token). */
public final class TokenAuth {

    /** Who is calling: {@code tenant} null means the admin. */
    public record Principal(String tenant) {
        public boolean isAdmin() {
            return tenant == null;
        }

        public boolean maySee(String requestedTenant) {
            return isAdmin() || tenant.equals(requestedTenant);
        }
    }

    private final byte[] adminToken;
    private final Map<String, String> tenantTokens;

    public TokenAuth(String adminToken, Map<String, String> tenantTokens) {
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.tenantTokens = Map.copyOf(tenantTokens);
    }

    public Optional<Principal> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(given, adminToken)) {
            return Optional.of(new Principal(null));
        }
        Principal found = null;
        for (Map.Entry<String, String> entry : tenantTokens.entrySet()) {
            if (MessageDigest.isEqual(given, entry.getValue().getBytes(StandardCharsets.UTF_8))) {
                found = new Principal(entry.getKey());
            }
        }
        return Optional.ofNullable(found);
    }

    /** The token of an {@code Authorization: Bearer} header, else of the {@code access_token} query parameter (for browser EventSource). */
    static String tokenOf(String authorizationHeader, String queryToken) {
        if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorizationHeader.substring(7).trim();
        }
        return queryToken;
    }
}
