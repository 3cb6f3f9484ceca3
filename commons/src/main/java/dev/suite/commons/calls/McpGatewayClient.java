package dev.suite.commons.calls;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.retry.BackoffStrategy;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
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
 * mcp-gateway's tool route for the services that call tools (target {@code mcp-gateway}, with
 * {@code disable-default-mapper}: every answer comes back as it is and its caller decides what it
 * means). A gateway that refused the connection is tried twice more. Only services with the REST
 * client extension make a bean of it.
 */
@RegisterRestClient(configKey = "mcp-gateway")
@Retry(maxRetries = 2, delay = 200)
@RetryWhen(exception = WhenUnreachable.class)
@CustomBackoff(BackoffStrategy.class)
@Path("/api/mcp/servers")
public interface McpGatewayClient {

    @POST
    @Path("/{server}/tools/{tool}/call")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> callTool(@PathParam("server") String server, @PathParam("tool") String tool,
            @HeaderParam("Authorization") String authorization, @HeaderParam("X-Request-Id") String requestId,
            JsonNode arguments);
}
