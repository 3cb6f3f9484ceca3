package dev.suite.llm.config;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.problem.Problem;
import dev.suite.commons.request.RequestIds;
import dev.suite.llm.config.dto.ApiKeyResponse;
import dev.suite.llm.config.dto.LlmConfigRequest;
import dev.suite.llm.config.dto.LlmConfigResponse;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
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
    @Operation(summary = "Get one config")
    @APIResponse(responseCode = "200", description = "The config")
    @APIResponse(responseCode = "404", description = "No such config of yours")
    public Uni<LlmConfigResponse> get(@PathParam("id") String id) {
        return service.get(user.id(), id);
    }

    @POST
    @Operation(summary = "Create a config")
    @APIResponse(responseCode = "201", description = "Created; Location names it")
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
    @Operation(summary = "Replace a config",
            description = "Full update. An absent api_key keeps the stored key; an explicit null clears it.")
    @APIResponse(responseCode = "200", description = "The updated config")
    @APIResponse(responseCode = "404", description = "No such config of yours")
    @APIResponse(responseCode = "409", description = "You already have another config of that name")
    public Uni<LlmConfigResponse> update(@PathParam("id") String id, @NotNull LlmConfigRequest request) {
        return service.update(user.id(), id, request);
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
