package dev.suite.mcp.oauth;

import java.time.Instant;

/** One user's tokens for one server, opened. Never logged: {@link #toString} leaves the tokens out. */
public record TokenRow(String serverId, String ownerId, String issuer, String tokenEndpoint, String revocationEndpoint,
        String clientKey, String resource, String accessToken, String refreshToken, String scopes, Instant expiresAt,
        boolean needsReauth, Instant updatedAt) {

    boolean expiresWithin(java.time.Duration margin) {
        return expiresAt != null && Instant.now().plus(margin).isAfter(expiresAt);
    }

    @Override
    public String toString() {
        return "TokenRow[server=" + serverId + ", issuer=" + issuer + ", expiresAt=" + expiresAt
                + ", needsReauth=" + needsReauth + "]";
    }
}
