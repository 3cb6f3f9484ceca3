package dev.suite.session.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.calls.SuiteHttp;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Calls mcp-gateway's {@code POST /api/mcp/servers/{id}/tools/{name}/call} for the caller. The
 * gateway's answer comes back as it is — a CallToolResult, or a problem the model should see (the
 * tool refused its arguments, does not exist, its server is disabled) — while the gateway being
 * away or failing is a problem of ours: 503, 502 or 504.
 */
@ApplicationScoped
public class McpClient {

    private static final Logger LOG = Logger.getLogger(McpClient.class);

    /** What the gateway answered: its status and body (a CallToolResult on 200, else a problem). */
    public record Answer(int status, JsonNode body) {
    }

    private final SuiteHttp http;
    private final ObjectMapper mapper;

    public McpClient(Vertx vertx, ObjectMapper mapper, @ConfigProperty(name = "suite.mcp.url") URI base) {
        this.http = new SuiteHttp(vertx, base);
        this.mapper = mapper;
    }

    @PreDestroy
    void close() {
        http.close();
    }

    public Uni<Answer> call(Caller caller, String serverId, String tool, JsonNode arguments, Duration timeout) {
        String path = "/api/mcp/servers/" + encode(serverId) + "/tools/" + encode(tool) + "/call";
        Uni<Answer> call = Uni.createFrom().completionStage(() -> http.post(path, caller, "application/json", timeout)
                .compose(request -> request.send(Buffer.buffer(arguments.toString())))
                .compose(response -> response.body().map(body -> new Answer(response.statusCode(), parse(body))))
                .toCompletionStage());
        return call.ifNoItem().after(timeout.plusSeconds(5)).failWith(() -> ProblemException.upstreamTimeout(
                        "mcp-gateway did not answer the tool call in " + timeout.toSeconds() + " s."))
                .onFailure(e -> !(e instanceof ProblemException)).transform(McpClient::failure)
                .map(McpClient::checked);
    }

    /** Answers the model should see pass; the gateway's own failures become ours. */
    private static Answer checked(Answer answer) {
        int status = answer.status();
        String detail = answer.body().path("detail").asText("");
        if (status == 401 || status == 403) {
            throw ProblemException.upstream("mcp-gateway refused the forwarded credentials: " + detail, status);
        }
        if (status == 503) {
            throw ProblemException.unavailable("mcp-gateway is unavailable: " + detail, Duration.ofSeconds(5));
        }
        if (status == 504) {
            throw ProblemException.upstreamTimeout("The MCP server did not answer in time: " + detail);
        }
        if (status >= 500) {
            throw ProblemException.upstream("The tool call failed in mcp-gateway (" + status + "): " + detail, status);
        }
        return answer;
    }

    /** The failure as a problem; the network's own words (addresses, ports) go to the log, not to the caller. */
    private static Throwable failure(Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        LOG.warnf("mcp-gateway call failed: %s", cause.toString());
        if (cause instanceof ConnectException || e instanceof ConnectException) {
            return ProblemException.unavailable("mcp-gateway is unreachable; try again shortly.", Duration.ofSeconds(5));
        }
        if (String.valueOf(cause.getMessage()).toLowerCase().contains("timeout")) {
            return ProblemException.upstreamTimeout("mcp-gateway stopped answering.");
        }
        return ProblemException.upstream("The call to mcp-gateway failed.", null);
    }

    private JsonNode parse(Buffer body) {
        try {
            return mapper.readTree(body.toString());
        } catch (Exception e) {
            return mapper.createObjectNode().put("detail", "not JSON: " + body.toString().substring(0,
                    Math.min(200, body.length())));
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
