package dev.suite.mcp.oauth;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.problem.Problem;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemResponses;
import dev.suite.commons.problem.ProblemType;
import dev.suite.mcp.McpSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.Map;

/** The OAuth routes front ends use: start a flow, the callback, refresh, status, revoke. */
@Path("/mcp/oauth")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "MCP OAuth", description = "Authorising the gateway to protected MCP servers with the caller's own account.")
@APIResponse(responseCode = "404", description = "No such server of yours",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class OAuthResource {

    private static final String CALLBACK = "/mcp/oauth/callback";

    private final OAuthFlows flows;
    private final CurrentUser user;
    private final McpSettings settings;

    /** The answer of start, as the document tells it. */
    @Schema(name = "OAuthStart")
    public record Started(
            @Schema(description = "Where to send the user; null when the server is connected at once") String authorizationUrl,
            @Schema(required = true, description = "True when no user step is needed (client_credentials)") boolean connected) {
    }

    public OAuthResource(OAuthFlows flows, CurrentUser user, McpSettings settings) {
        this.flows = flows;
        this.user = user;
        this.settings = settings;
    }

    @POST
    @Path("/start")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start authorising a server",
            description = "Answers the authorization_url to send the user to (authorization code with PKCE S256). A "
                    + "client_credentials server is connected at once: authorization_url is null, connected true. "
                    + "Any HTTP server will do: one without oauth settings is discovered now (MCP authorization).")
    @APIResponse(responseCode = "200", description = "{authorization_url, connected}", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Started.class)))
    @APIResponse(responseCode = "409", description = "The server names no authorization server, runs as a local "
            + "process (stdio), or its authorization server offers no way to register the gateway")
    @APIResponse(responseCode = "502", description = "Discovery failed, or the server does not support PKCE S256")
    public Uni<JsonObject> start(@NotNull @Valid ServerIdRequest request, @Context UriInfo uri) {
        return flows.start(user.id(), request.serverId, uri.getBaseUri().toString()).map(url -> new JsonObject()
                .put("authorization_url", url).put("connected", url == null));
    }

    @GET
    @Path("/callback")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    @Operation(summary = "Where the authorization server sends the browser back",
            description = "Needs no credentials: the single-use state names the user and server. Redirects to the "
                    + "configured front end with server_id and status, or shows a small page.")
    @APIResponse(responseCode = "303", description = "To the front end")
    @APIResponse(responseCode = "200", description = "The result page")
    @APIResponse(responseCode = "400", description = "Unknown, expired or already used state")
    public Uni<Response> callback(@QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("iss") String iss, @QueryParam("error") String error,
            @QueryParam("error_description") String errorDescription, @Context HttpHeaders headers) {
        // A browser lands here and reads a page; anything else asking for JSON gets a problem.
        boolean page = headers.getAcceptableMediaTypes().stream().anyMatch(type -> type.isCompatible(MediaType.TEXT_HTML_TYPE)
                && !type.isWildcardType());
        return flows.callback(code, state, iss, error, errorDescription)
                .map(outcome -> outcome(outcome, page))
                .onFailure(ProblemException.class).recoverWithItem(e -> page
                        ? ResultPage.response(400, "Authorization failed", e.getMessage())
                        : ProblemResponses.response((ProblemException) e, CALLBACK));
    }

    @POST
    @Path("/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Refresh the caller's token for a server now")
    @APIResponse(responseCode = "200", description = "The status after the refresh")
    @APIResponse(responseCode = "401", description = "The grant is gone (invalid_grant): authorize again")
    public Uni<OAuthFlows.Status> refresh(@NotNull @Valid ServerIdRequest request) {
        return flows.refresh(user.id(), request.serverId);
    }

    @GET
    @Path("/status")
    @Operation(summary = "Whether the caller is connected: expires_at, scopes, needs_reauth, awaiting_authorization",
            description = "With server_id, that server's status; without, {items: [...]}: the status of each of the "
                    + "caller's servers that asks for OAuth (oauth settings, or a 401 naming an authorization server).")
    @APIResponse(responseCode = "200", description = "The status, or the list", content = @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(oneOf = {OAuthFlows.Status.class, OAuthFlows.Statuses.class})))
    public Uni<Object> status(@QueryParam("server_id") String serverId) {
        if (serverId == null) {
            return flows.statuses(user.id()).map(Object.class::cast);
        }
        if (serverId.isBlank()) {
            return Uni.createFrom().failure(ProblemException.invalidField("server_id", "must not be blank"));
        }
        return flows.status(user.id(), serverId).map(Object.class::cast);
    }

    @DELETE
    @Path("/tokens/{server_id}")
    @Operation(summary = "Revoke and forget the caller's tokens for a server")
    @APIResponse(responseCode = "204", description = "Revoked where the server supports it, and forgotten")
    public Uni<Response> revoke(@PathParam("server_id") String serverId) {
        return flows.revoke(user.id(), serverId).map(ignored -> Response.noContent().build());
    }

    private Response outcome(OAuthFlows.Outcome outcome, boolean page) {
        var frontend = settings.oauth().frontendUrl();
        if (frontend.isPresent()) {
            String query = "server_id=" + OAuthHttp.encode(outcome.serverId()) + "&status="
                    + (outcome.error() == null ? "connected" : "error")
                    + (outcome.error() == null ? "" : "&error=" + OAuthHttp.encode(outcome.error()));
            String base = frontend.get();
            return Response.seeOther(URI.create(base + (base.contains("?") ? "&" : "?") + query)).build();
        }
        String failure = outcome.error() == null ? null
                : outcome.error() + (outcome.detail() == null ? "" : ": " + outcome.detail());
        if (!page) {
            return failure == null ? Response.ok(Map.of("server_id", outcome.serverId(), "status", "connected")).build()
                    : ProblemResponses.response(ProblemType.VALIDATION, "Authorization failed: " + failure, CALLBACK);
        }
        return failure == null
                ? ResultPage.response(200, "Connected", "You can close this window and return to your app.")
                : ResultPage.response(400, "Authorization failed", failure);
    }
}
