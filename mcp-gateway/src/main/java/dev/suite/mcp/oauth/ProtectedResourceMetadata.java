package dev.suite.mcp.oauth;

import dev.suite.commons.identity.AuthConfig;
import dev.suite.commons.identity.AuthMode;
import dev.suite.commons.problem.ProblemException;
import dev.suite.mcp.McpSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Optional;

/**
 * In {@code oidc} mode the gateway's own {@code /mcp} is a protected resource (RFC 9728): MCP
 * clients find the identity provider here, named by the 401 challenges.
 */
@Path("/.well-known/oauth-protected-resource")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "MCP OAuth")
public class ProtectedResourceMetadata {

    /** The document as the OpenAPI document tells it. */
    @Schema(name = "ProtectedResourceMetadata")
    public record Metadata(
            @Schema(required = true, example = "https://gateway.example/mcp") String resource,
            @Schema(required = true) List<String> authorizationServers,
            @Schema(required = true, example = "[\"header\"]") List<String> bearerMethodsSupported) {
    }

    private final AuthConfig auth;
    private final McpSettings settings;
    private final Optional<String> issuer;

    public ProtectedResourceMetadata(AuthConfig auth, McpSettings settings,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> issuer) {
        this.auth = auth;
        this.settings = settings;
        this.issuer = issuer;
    }

    @GET
    @Operation(summary = "Protected resource metadata of /mcp (oidc mode only)")
    @APIResponse(responseCode = "200", description = "The metadata (RFC 9728)", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Metadata.class)))
    @APIResponse(responseCode = "404", description = "The gateway is not in oidc mode")
    public JsonObject metadata(@Context UriInfo uri) {
        return document(uri);
    }

    @GET
    @Path("/mcp")
    @Operation(summary = "The same, at the path-specific location")
    @APIResponse(responseCode = "200", description = "The metadata (RFC 9728)", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Metadata.class)))
    @APIResponse(responseCode = "404", description = "The gateway is not in oidc mode")
    public JsonObject metadataForMcp(@Context UriInfo uri) {
        return document(uri);
    }

    private JsonObject document(UriInfo uri) {
        if (auth.mode() != AuthMode.OIDC || issuer.isEmpty()) {
            throw ProblemException.notFound("Protected resource metadata (the gateway is not in oidc mode)");
        }
        return new JsonObject()
                .put("resource", settings.oauth().publicUrl().orElse(uri.getBaseUri().toString()).replaceAll("/$", "")
                        + "/mcp")
                .put("authorization_servers", new JsonArray().add(issuer.get()))
                .put("bearer_methods_supported", new JsonArray().add("header"));
    }
}
