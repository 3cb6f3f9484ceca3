package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.calls.ServiceFailures;
import dev.suite.commons.calls.WhenUnreachable;
import dev.suite.commons.retry.BackoffStrategy;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * task-service's media routes as the {@code media_task} node uses them (target
 * {@code task-service}). Each call is safe to repeat — a create carries an idempotency key — so a
 * refused connection is tried twice more; an answer of 400 or more is the problem
 * {@link ServiceFailures} makes of it.
 */
@RegisterRestClient(configKey = "task-service")
@Retry(maxRetries = 2, delay = 200)
@RetryWhen(exception = WhenUnreachable.class)
@CustomBackoff(BackoffStrategy.class)
@Path("/api/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface TaskServiceClient {

    @POST
    @Path("/process/{kind}")
    Uni<JsonNode> process(@PathParam("kind") String kind, @HeaderParam("Authorization") String authorization,
            @HeaderParam("X-Request-Id") String requestId, JsonNode task);

    @GET
    @Path("/tasks/{id}")
    Uni<JsonNode> task(@PathParam("id") String id, @HeaderParam("Authorization") String authorization,
            @HeaderParam("X-Request-Id") String requestId);

    @DELETE
    @Path("/tasks/{id}")
    Uni<Response> cancel(@PathParam("id") String id, @HeaderParam("Authorization") String authorization,
            @HeaderParam("X-Request-Id") String requestId);

    @ClientExceptionMapper
    static RuntimeException failure(Response response) {
        return ServiceFailures.answer("task-service", response.getStatus(),
                response.hasEntity() ? response.readEntity(String.class) : "");
    }
}
