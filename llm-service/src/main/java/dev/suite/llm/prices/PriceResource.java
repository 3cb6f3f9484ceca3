package dev.suite.llm.prices;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/llm/prices")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Prices", description = "What models cost: the cost in usage and the spend budgets are computed from these.")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class PriceResource {

    private final PriceService service;
    private final CurrentUser user;

    public PriceResource(PriceService service, CurrentUser user) {
        this.service = service;
        this.user = user;
    }

    @GET
    @Operation(summary = "Your price table", description = "The shipped prices with yours over them, by model.")
    @APIResponse(responseCode = "200", description = "The prices")
    public Uni<List<Price>> list() {
        return service.list(user.id());
    }

    @PUT
    @Path("/{model: .+}")
    @Operation(summary = "Set your price of a model", description = "Prices your calls of that model (and of the "
            + "models it is a prefix of, followed by '-') from now on.")
    @APIResponse(responseCode = "200", description = "Your price")
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    public Uni<Price> put(@PathParam("model") String model, @NotNull @Valid PriceRequest request) {
        return service.put(user.id(), model, request);
    }

    @DELETE
    @Path("/{model: .+}")
    @Operation(summary = "Drop your price of a model", description = "The shipped price, if any, applies again.")
    @APIResponse(responseCode = "204", description = "Dropped")
    @APIResponse(responseCode = "404", description = "You had set no price of that model")
    public Uni<Response> delete(@PathParam("model") String model) {
        return service.delete(user.id(), model).map(ignored -> Response.noContent().build());
    }
}
