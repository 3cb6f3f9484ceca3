package dev.suite.mcp.tools;

import dev.suite.commons.problem.ProblemException;
import dev.suite.mcp.McpSettings;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.registry.McpServerMapper;
import dev.suite.mcp.upstream.CallLimits;
import dev.suite.mcp.upstream.Upstream;
import dev.suite.mcp.upstream.UpstreamAccess;
import dev.suite.mcp.upstream.UpstreamLists;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Locale;

/**
 * A server's tools for the other services: the list (cached, filtered by the server's allow and
 * deny lists) and calls (arguments in, the MCP result out, structured content kept).
 */
@ApplicationScoped
public class ToolsService {

    private static final AttributeKey<String> MCP_METHOD = AttributeKey.stringKey("mcp.method.name");
    private static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    private static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("mcp.protocol.version");
    private static final AttributeKey<String> SERVER_ID = AttributeKey.stringKey("suite.mcp.server_id");
    private static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("suite.mcp.transport");
    private static final AttributeKey<String> ERA = AttributeKey.stringKey("suite.mcp.era");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("suite.mcp.outcome");

    private final UpstreamAccess access;
    private final ToolCache cache;
    private final McpServerMapper mapper;
    private final McpSettings settings;
    private final MeterRegistry registry;
    private final Tracer tracer;

    public ToolsService(UpstreamAccess access, ToolCache cache, McpServerMapper mapper, McpSettings settings,
            MeterRegistry registry, Tracer tracer) {
        this.access = access;
        this.cache = cache;
        this.mapper = mapper;
        this.settings = settings;
        this.registry = registry;
        this.tracer = tracer;
    }

    public Uni<JsonArray> list(String ownerId, String serverId) {
        return access.enabled(ownerId, serverId).chain(c -> tools(c.server(), c.upstream()));
    }

    /** The server's permitted tools, from the cache or the upstream. */
    public Uni<JsonArray> tools(McpServer server, Upstream upstream) {
        long version = server.updatedAt.toEpochMilli();
        ToolFilter filter = filter(server);
        return cache.get(server.id, version)
                .onItem().ifNull().switchTo(() -> fetchAll(server, upstream)
                        .call(all -> cache.put(server.id, version, all)))
                .map(all -> new JsonArray(all.stream()
                        .filter(t -> t instanceof JsonObject tool && filter.permits(tool.getString("name")))
                        .toList()));
    }

    public Uni<JsonObject> call(String ownerId, String serverId, String tool, JsonObject arguments) {
        // Checked against the (cached) list, so a hidden or unknown tool is a 404 whatever the server would say.
        return access.enabled(ownerId, serverId).chain(c -> tools(c.server(), c.upstream())
                .chain(permitted -> {
                    if (permitted.stream().noneMatch(t -> t instanceof JsonObject o && tool.equals(o.getString("name")))) {
                        return Uni.createFrom().failure(ProblemException.notFound("Tool '" + tool + "'"));
                    }
                    JsonObject params = new JsonObject().put("name", tool).put("arguments", arguments);
                    // A progress token is requested so that progress keeps a long call alive up to its cap.
                    return observed(c.server(), c.upstream(), tool, c.upstream().call("tools/call", params, progress -> {
                            }, CallLimits.of(c.server())))
                            .map(response -> UpstreamAccess.resultOrProblem(response, c.server()));
                }));
    }

    /**
     * Observes a {@code tools/call} sent to an upstream server (the REST route's and the aggregated
     * endpoint's). Metrics: {@code mcp.tool.calls} by the server's transport and the outcome —
     * {@code ok}, a result the tool marked {@code isError} ({@code tool_error}), a JSON-RPC error
     * ({@code error}), or no usable answer ({@code failed}: unreachable, timed out, broken); not
     * tagged by server: users register servers, and a tag per server would grow without bound.
     * Traces: a client span {@code tools/call <tool>} naming the server, the tool, the era and
     * protocol version the server speaks, and the outcome — never the arguments or the result.
     */
    public Uni<JsonObject> observed(McpServer server, Upstream upstream, String tool, Uni<JsonObject> call) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample started = Timer.start(registry);
            Span span = tracer.spanBuilder("tools/call " + tool).setSpanKind(SpanKind.CLIENT)
                    .setAttribute(MCP_METHOD, "tools/call").setAttribute(TOOL_NAME, tool)
                    .setAttribute(OPERATION, "execute_tool").setAttribute(SERVER_ID, server.id)
                    .setAttribute(TRANSPORT, server.type).startSpan();
            return call.onItemOrFailure().call((response, failure) -> {
                String outcome = outcome(response, failure);
                started.stop(Timer.builder("mcp.tool.calls")
                        .description("Tool calls sent to upstream MCP servers, by transport and outcome")
                        .tag("transport", server.type).tag("outcome", outcome)
                        // Calls that report progress may run for minutes (a server's tool_call_max_ms).
                        .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(5))
                        .register(registry));
                return ended(span, upstream, outcome, failure);
            });
        });
    }

    /** Ends the call's span; the era comes from the handshake the call itself made (cached, no round trip). */
    private static Uni<Void> ended(Span span, Upstream upstream, String outcome, Throwable failure) {
        span.setAttribute(OUTCOME, outcome);
        if (!outcome.equals("ok")) {
            span.setStatus(StatusCode.ERROR, failure != null ? failure.getMessage() : outcome);
        }
        if (!span.isRecording() || failure != null) {
            span.end();
            return Uni.createFrom().voidItem();
        }
        return upstream.connect().onItemOrFailure().invoke((handshake, e) -> {
            if (handshake != null) {
                span.setAttribute(ERA, handshake.era().name().toLowerCase(Locale.ROOT));
                span.setAttribute(PROTOCOL_VERSION, handshake.protocolVersion());
            }
            span.end();
        }).onFailure().recoverWithNull().replaceWithVoid();
    }

    private static String outcome(JsonObject response, Throwable failure) {
        if (failure != null || response == null) {
            return "failed";
        }
        if (response.containsKey("error")) {
            return "error";
        }
        JsonObject result = response.getJsonObject("result");
        return result != null && result.getBoolean("isError", false) ? "tool_error" : "ok";
    }

    public ToolFilter filter(McpServer server) {
        return new ToolFilter(mapper.strings(server.toolsAllow), mapper.strings(server.toolsDeny));
    }

    private Uni<JsonArray> fetchAll(McpServer server, Upstream upstream) {
        return UpstreamLists.all(server, upstream, "tools/list", "tools", "tools",
                CallLimits.quick(settings.requestTimeout()));
    }
}
