package dev.suite.commons.identity;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Set;

/**
 * Authenticates requests in the {@code local} and {@code api-key} modes. In {@code oidc} mode it
 * steps aside and quarkus-oidc validates the bearer JWT. Because it is an HTTP mechanism, the same
 * identity applies to REST calls and WebSocket upgrades.
 */
@ApplicationScoped
public class SuiteAuthMechanism implements HttpAuthenticationMechanism {

    static final String BEARER = "Bearer ";
    private final ChallengeData challenge;
    private final String challengeHeader;
    private final List<String> publicPaths;
    private final List<String> xApiKeyPaths;

    private final AuthMode mode;
    private final SecurityIdentity localIdentity;
    private final ApiKeys apiKeys;

    public SuiteAuthMechanism(AuthConfig config) {
        this.mode = config.mode();
        this.apiKeys = ApiKeys.parse(config.apiKeys().orElse(null));
        this.localIdentity = identity(config.localUser(), Set.of(ApiKeys.DEFAULT_ROLE));
        this.publicPaths = config.publicPaths().orElse(List.of());
        this.xApiKeyPaths = config.xApiKeyPaths().orElse(List.of());
        this.challengeHeader = "Bearer realm=\"suite\"" + config.resourceMetadataUrl().filter(url -> mode == AuthMode.OIDC)
                .map(url -> ", resource_metadata=\"" + url + "\"").orElse("");
        this.challenge = new ChallengeData(401, "WWW-Authenticate", challengeHeader);
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (mode == AuthMode.LOCAL) {
            return Uni.createFrom().item(localIdentity);
        }
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        String xApiKey = context.request().getHeader("x-api-key");
        if (header == null && xApiKey != null && mode == AuthMode.API_KEY && matches(xApiKeyPaths, context.normalizedPath())) {
            return fromKey(xApiKey.trim());
        }
        if (header == null) {
            // Failing here, rather than leaving it to the path permission, gives the caller a problem body.
            // The normalised path, as routing and the permission policies see it: /q/../api is not /q.
            return isPublic(context.normalizedPath()) ? Uni.createFrom().nullItem()
                    : Uni.createFrom().failure(new AuthenticationFailedException("No credentials"));
        }
        // In oidc mode quarkus-oidc's mechanism validates the token.
        return mode == AuthMode.OIDC ? Uni.createFrom().nullItem() : fromApiKey(header);
    }

    /** Health (also at /api/health), metrics and the API documents stay open, and the paths the service lists. */
    boolean isPublic(String path) {
        if (path == null) {
            return false;
        }
        if (path.equals("/q") || path.startsWith("/q/") || path.equals("/api/health")) {
            return true;
        }
        return matches(publicPaths, path);
    }

    /** Whether a path is one of these: exact, or under a prefix ending in {@code /*}. */
    private static boolean matches(List<String> paths, String path) {
        return path != null && paths.stream().anyMatch(p -> p.endsWith("/*")
                ? path.startsWith(p.substring(0, p.length() - 1)) : path.equals(p));
    }

    /** The {@code WWW-Authenticate} value of a 401. */
    public String challenge() {
        return challengeHeader;
    }

    private Uni<SecurityIdentity> fromApiKey(String header) {
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().failure(new AuthenticationFailedException("Authorization must be a Bearer key"));
        }
        return fromKey(header.substring(BEARER.length()).trim());
    }

    private Uni<SecurityIdentity> fromKey(String key) {
        return apiKeys.match(key)
                .map(entry -> Uni.createFrom().item(identity(entry.userId(), entry.roles())))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("Unknown api key")));
    }

    private static SecurityIdentity identity(String userId, Set<String> roles) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(userId))
                .addRoles(roles)
                .build();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(challenge);
    }

    @Override
    public int getPriority() {
        // Ahead of quarkus-oidc's mechanism, which only takes over in oidc mode.
        return DEFAULT_PRIORITY + 100;
    }

    ApiKeys apiKeys() {
        return apiKeys;
    }
}
