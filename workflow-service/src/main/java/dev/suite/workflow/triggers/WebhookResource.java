package dev.suite.workflow.triggers;

import dev.suite.commons.problem.Problem;
import dev.suite.workflow.executions.dto.ExecutionResponse;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.Map;

/** The URL of a webhook trigger: called by other systems, authenticated by the call's signature rather than a user. */
@Path("/api/hooks/{trigger_id}")
@Tag(name = "Triggers")
public class WebhookResource {

    private final Webhooks webhooks;

    public WebhookResource(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run a workflow through its webhook", description = "Signed with the trigger's secret: "
            + "X-Suite-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">. The body (a JSON object) is "
            + "added to the run's inputs; X-Suite-Delivery names the delivery, so a retried one starts nothing new.")
    @RequestBody(description = "Added to the run's inputs; empty is {}. Read as JSON whatever its Content-Type.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "200", description = "The run ended within the trigger's respond_within_seconds: the execution, with its outputs",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExecutionResponse.class)))
    @APIResponse(responseCode = "202", description = "The run goes on: its execution_id and status; follow it at Location",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
                    requiredProperties = {"execution_id", "status"}, properties = {
                            @SchemaProperty(name = "execution_id", type = SchemaType.STRING),
                            @SchemaProperty(name = "status", type = SchemaType.STRING, example = "running")})))
    @APIResponse(responseCode = "400", description = "The body is not a JSON object, or not inputs this workflow takes",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "The signature is missing, stale or wrong",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such webhook")
    @APIResponse(responseCode = "409", description = "The webhook is disabled")
    public Uni<Response> call(@PathParam("trigger_id") String triggerId, @HeaderParam(Webhooks.SIGNATURE) String signature,
            @HeaderParam(Webhooks.DELIVERY) String delivery, byte[] body) {
        return webhooks.call(triggerId, signature, delivery, body).map(answer -> answer.ended()
                ? Response.ok(answer.execution()).build()
                : Response.accepted(Map.of("execution_id", answer.execution().executionId(), "status", answer.execution().status()))
                        .location(URI.create("/api/executions/" + answer.execution().executionId())).build());
    }
}
