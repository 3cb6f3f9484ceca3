package dev.suite.commons.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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

    /** The user every request acts as in {@code local} mode. */
    @WithDefault("local")
    String localUser();
}
