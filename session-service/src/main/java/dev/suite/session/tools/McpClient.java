package dev.suite.session.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.calls.McpGatewayClient;
import dev.suite.commons.calls.ServiceFailures;
import dev.suite.commons.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;

/**
 * Calls a tool through mcp-gateway for the caller. The gateway's answer comes back as it is — a
 * CallToolResult, or a problem the model should see (the tool refused its arguments, does not
 * exist, its server is disabled) — while the gateway being away, refusing our credentials or
 * failing is a problem of ours: 503, 502 or 504.
 */
@ApplicationScoped
public class McpClient {

    private static final String SERVICE = "mcp-gateway";

    /** What the gateway answered: its status and body (a CallToolResult on 200, else a problem). */
    public record Answer(int status, JsonNode body) {
    }

    private final McpGatewayClient gateway;
    private final ObjectMapper mapper;

    public McpClient(@RestClient McpGatewayClient gateway, ObjectMapper mapper) {
        this.gateway = gateway;
        this.mapper = mapper;
    }

    public Uni<Answer> call(Caller caller, String serverId, String tool, JsonNode arguments, Duration timeout) {
        return gateway.callTool(serverId, tool, caller.authorization(), caller.requestId(), arguments)
                .ifNoItem().after(timeout.plusSeconds(5)).failWith(() -> ProblemException.upstreamTimeout(
                        SERVICE + " did not answer the tool call in " + timeout.toSeconds() + " s."))
                .onFailure().transform(e -> ServiceFailures.transport(SERVICE, e))
                .map(this::checked);
    }

    /** Answers the model should see pass; the gateway's own failures become ours. */
    private Answer checked(Response response) {
        int status = response.getStatus();
        String body = response.hasEntity() ? response.readEntity(String.class) : "";
        if (status == 401 || status == 403 || status >= 500) {
            throw ServiceFailures.answer(SERVICE, status, body);
        }
        return new Answer(status, parse(body));
    }

    private JsonNode parse(String body) {
        try {
            return mapper.readTree(body);
        } catch (Exception e) {
            return mapper.createObjectNode().put("detail", "not JSON: " + body.substring(0, Math.min(200, body.length())));
        }
    }
}
