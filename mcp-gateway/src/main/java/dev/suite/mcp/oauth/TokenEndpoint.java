package dev.suite.mcp.oauth;

import dev.suite.commons.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token requests (RFC 6749: authorization code with the PKCE verifier, refresh, client
 * credentials) with RFC 8707 {@code resource}, and revocation (RFC 7009). Written against the
 * RFCs rather than quarkus-oidc-client, whose clients are configured per provider ahead of time:
 * here the endpoints, clients and resource indicator are discovered per server at run time, and
 * {@code invalid_grant} must be told apart from other failures.
 */
@ApplicationScoped
public class TokenEndpoint {

    /** What a token endpoint answered. {@code expiresIn} is null when the server did not say. */
    public record Tokens(String accessToken, String refreshToken, Long expiresIn, String scope) {

        @Override
        public String toString() {
            return "Tokens[scope=" + scope + ", expiresIn=" + expiresIn + "]";
        }
    }

    /** The grant is no longer valid (RFC 6749 {@code invalid_grant}): the user must authorise again. */
    public static final class InvalidGrant extends RuntimeException {
        InvalidGrant(String detail) {
            super(detail, null, false, false);
        }
    }

    private final OAuthHttp http;

    public TokenEndpoint(OAuthHttp http) {
        this.http = http;
    }

    public Uni<Tokens> authorizationCode(URI endpoint, OAuthClient client, String code, String redirectUri,
            String verifier, String resource) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", verifier);
        return request(endpoint, client, form, resource);
    }

    public Uni<Tokens> refresh(URI endpoint, OAuthClient client, String refreshToken, String resource) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        return request(endpoint, client, form, resource);
    }

    public Uni<Tokens> clientCredentials(URI endpoint, OAuthClient client, String scope, String resource) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (scope != null && !scope.isBlank()) {
            form.put("scope", scope);
        }
        return request(endpoint, client, form, resource);
    }

    /** Best effort: a server that cannot revoke still loses the tokens from the vault. */
    public Uni<Void> revoke(URI endpoint, OAuthClient client, String token, String hint) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        form.put("token_type_hint", hint);
        String basic = client.authenticate(form);
        return http.postForm(endpoint, form, basic).onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Tokens> request(URI endpoint, OAuthClient client, Map<String, String> form, String resource) {
        if (resource != null) {
            form.put("resource", resource);
        }
        String basic = client.authenticate(form);
        return http.postForm(endpoint, form, basic).map(answer -> {
            JsonObject body = answer.json();
            if (answer.ok() && body.getString("access_token") != null) {
                Object expires = body.getValue("expires_in");
                Long expiresIn = expires instanceof Number n ? n.longValue() : null;
                return new Tokens(body.getString("access_token"), body.getString("refresh_token"), expiresIn,
                        body.getString("scope"));
            }
            String error = body == null ? null : body.getString("error");
            String description = body == null ? "HTTP " + answer.status()
                    : error + (body.getString("error_description") == null ? "" : ": " + body.getString("error_description"));
            if ("invalid_grant".equals(error)) {
                throw new InvalidGrant(description);
            }
            throw ProblemException.upstream("The token endpoint of " + endpoint.getHost() + " refused: " + description,
                    answer.status());
        });
    }
}
