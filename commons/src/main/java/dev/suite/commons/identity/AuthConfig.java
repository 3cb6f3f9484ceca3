package dev.suite.commons.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "suite.auth")
public interface AuthConfig {

    /** {@code local}, {@code api-key} or {@code oidc}; env {@code SUITE_AUTH_MODE}. */
    @WithDefault("local")
    AuthMode mode();

    /**
     * Comma-separated {@code user:sha256hex[:role+role]} entries, env {@code SUITE_AUTH_API_KEYS}.
     * Only hashes are configured, so the keys themselves never sit in config or manifests.
     */
    Optional<String> apiKeys();

    /**
     * Paths besides {@code /q/*} that answer without credentials: exact, or a prefix ending in
     * {@code /*} (an OAuth callback a browser reaches, protected resource metadata). A service
     * lists them here and also permits them in {@code quarkus.http.auth.permission}.
     */
    Optional<List<String>> publicPaths();

    /**
     * The protected resource metadata URL (RFC 9728) named in 401 challenges in {@code oidc} mode,
     * so that OAuth clients can find the identity provider.
     */
    Optional<String> resourceMetadataUrl();

    /**
     * Paths (exact, or a prefix ending in {@code /*}) where an {@code api-key} mode key may also come
     * in {@code x-api-key}, as Anthropic's client libraries send it; {@code Authorization} wins when
     * both are present.
     */
    Optional<List<String>> xApiKeyPaths();

    /** The user every request acts as in {@code local} mode. */
    @WithDefault("local")
    String localUser();
}
