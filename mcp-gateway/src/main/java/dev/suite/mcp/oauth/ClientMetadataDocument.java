package dev.suite.mcp.oauth;

import dev.suite.commons.problem.ProblemException;
import dev.suite.mcp.McpSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The gateway's Client ID Metadata Document: what authorization servers fetch to know it as a client. */
@Path("/mcp/oauth/client-metadata.json")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "MCP OAuth")
public class ClientMetadataDocument {

    private final OAuthClients clients;
    private final McpSettings settings;

    public ClientMetadataDocument(OAuthClients clients, McpSettings settings) {
        this.clients = clients;
        this.settings = settings;
    }

    @GET
    @Operation(summary = "The gateway's Client ID Metadata Document (only with an https public URL)")
    public JsonObject document() {
        String clientId = clients.metadataDocumentUrl().orElseThrow(() -> ProblemException.notFound(
                "Client metadata document (set an https suite.mcp.oauth.public-url)"));
        String base = settings.oauth().publicUrl().orElseThrow().replaceAll("/$", "");
        return new JsonObject()
                .put("client_id", clientId)
                .put("client_name", settings.oauth().clientName())
                .put("client_uri", base)
                .put("redirect_uris", new JsonArray().add(base + "/mcp/oauth/callback"))
                .put("grant_types", new JsonArray().add("authorization_code").add("refresh_token"))
                .put("response_types", new JsonArray().add("code"))
                .put("token_endpoint_auth_method", "none");
    }
}
