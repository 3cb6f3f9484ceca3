package dev.suite.llm.config;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.patch.ETagged;
import dev.suite.commons.patch.MergePatch;
import dev.suite.commons.problem.Problem;
import dev.suite.commons.request.RequestIds;
import dev.suite.llm.config.dto.ApiKeyResponse;
import dev.suite.llm.config.dto.LlmConfigRequest;
import dev.suite.llm.config.dto.LlmConfigResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;

@Path("/api/llm/configs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "LLM configs", description = "The caller's LLM provider configs; api keys are write-only.")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class LlmConfigResource {

    private final LlmConfigService service;
    private final CurrentUser user;

    public LlmConfigResource(LlmConfigService service, CurrentUser user) {
        this.service = service;
        this.user = user;
    }

    @GET
    @Operation(summary = "List configs, newest first", description = "Keyset-paged: pass next_before as before.")
    @APIResponse(responseCode = "200", description = "A page of configs")
    public Uni<Page<LlmConfigResponse>> list(
            @Parameter(description = "1–200, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "next_before of the previous page") @QueryParam("before") String before,
            @Parameter(description = "only this provider") @QueryParam("provider") String provider,
            @Parameter(description = "true or false") @QueryParam("enabled") String enabled) {
        return service.list(user.id(), provider, enabled, PageRequest.of(limit, before));
    }

    @GET
    @Path("/{id}")
    @ETagged
    @Operation(summary = "Get one config")
    @APIResponse(responseCode = "200", description = "The config")
    @APIResponse(responseCode = "404", description = "No such config of yours")
    public Uni<LlmConfigResponse> get(@PathParam("id") String id) {
        return service.get(user.id(), id);
    }

    @POST
    @ETagged
    @Operation(summary = "Create a config")
    @APIResponse(responseCode = "201", description = "Created; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LlmConfigResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    @APIResponse(responseCode = "409", description = "You already have a config of that name")
    @APIResponse(responseCode = "413", description = "Body over 1 MB")
    public Uni<Response> create(@NotNull LlmConfigRequest request) {
        return service.create(user.id(), request)
                .map(created -> Response.created(URI.create("/api/llm/configs/" + created.configId()))
                        .entity(created).build());
    }

    @PUT
    @Path("/{id}")
    @ETagged
    @Operation(summary = "Replace a config",
            description = "Full update. An absent api_key keeps the stored key; an explicit null clears it. "
                    + "Fields the server owns (config_id, has_api_key, api_key_hint, timestamps) are ignored, "
                    + "so a GET's body can be sent back.")
    @APIResponse(responseCode = "200", description = "The updated config; ETag names its new state")
    @APIResponse(responseCode = "404", description = "No such config of yours")
    @APIResponse(responseCode = "409", description = "You already have another config of that name")
    @APIResponse(responseCode = "412", description = "If-Match names an older state of the config")
    public Uni<LlmConfigResponse> update(@PathParam("id") String id,
            @Parameter(description = "The ETag of the config as you read it") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull LlmConfigRequest request) {
        return service.update(user.id(), id, request, ifMatch);
    }

    @PATCH
    @Path("/{id}")
    @ETagged
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change some fields of a config",
            description = "JSON Merge Patch (RFC 7396) of the config as GET shows it: members replace, null removes "
                    + "(api_key: null clears the key, absent keeps it). The result is validated as a PUT.")
    @RequestBody(content = {
            @Content(mediaType = MergePatch.MEDIA_TYPE, schema = @Schema(implementation = LlmConfigRequest.class)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LlmConfigRequest.class))})
    @APIResponse(responseCode = "200", description = "The updated config; ETag names its new state")
    @APIResponse(responseCode = "400", description = "The patched config has invalid fields, listed in errors[]")
    @APIResponse(responseCode = "404", description = "No such config of yours")
    @APIResponse(responseCode = "409", description = "You already have another config of that name")
    @APIResponse(responseCode = "412", description = "If-Match names an older state of the config")
    public Uni<LlmConfigResponse> patch(@PathParam("id") String id,
            @Parameter(description = "The ETag of the config as you read it") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull JsonNode patch) {
        return service.patch(user.id(), id, patch, ifMatch);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a config")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such config of yours")
    public Uni<Response> delete(@PathParam("id") String id) {
        return service.delete(user.id(), id).map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/key")
    @Operation(summary = "Reveal a config's api key to its owner",
            description = "Every reveal is audited and counted; rate-limited per user (429 with Retry-After).")
    @APIResponse(responseCode = "200", description = "The key (null when the config has none)")
    @APIResponse(responseCode = "404", description = "No such config of yours")
    @APIResponse(responseCode = "429", description = "Too many reveals; see Retry-After")
    public Uni<ApiKeyResponse> revealKey(@PathParam("id") String id) {
        return service.revealKey(user.id(), id, RequestIds.current());
    }
}
