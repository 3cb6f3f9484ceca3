package dev.suite.mcp.endpoint;

import dev.suite.commons.problem.ProblemException;
import dev.suite.mcp.McpSettings;
import dev.suite.mcp.feedback.FeedbackHub;
import dev.suite.mcp.feedback.FeedbackService;
import dev.suite.mcp.protocol.Era;
import dev.suite.mcp.protocol.JsonRpc;
import dev.suite.mcp.protocol.McpVersions;
import dev.suite.mcp.proxy.SessionTokens;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.tools.ToolsService;
import dev.suite.mcp.upstream.GatewayInfo;
import dev.suite.mcp.upstream.UpstreamPool;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.function.Consumer;

/**
 * An MCP server the gateway answers itself, in both eras, over a {@link ServerSpace}: the
 * aggregated {@code /mcp}, and one registered server for clients its transport or era does not
 * fit. Legacy clients get a session id that seals the target (no state kept); modern clients are
 * answered statelessly. A tool call that asked for progress is answered as an event stream that
 * relays the progress, so a long call stays alive.
 */
@ApplicationScoped
public class McpEndpoint {

    private static final Logger LOG = Logger.getLogger(McpEndpoint.class);
    /** Aggregate targets in session ids; a server's target is its id. */
    public static final String AGGREGATE = "*";
    /** The gateway's own server, reachable alone at /mcp/servers/suite. */
    public static final String BUILT_IN = BuiltIn.ID;

    private final UpstreamPool pool;
    private final ToolsService tools;
    private final McpSettings settings;
    private final SessionTokens tokens;
    private final ListChangeHub hub;
    private final Vertx vertx;
    private final FeedbackService feedback;
    private final FeedbackHub feedbackHub;

    public McpEndpoint(UpstreamPool pool, ToolsService tools, McpSettings settings, SessionTokens tokens,
            ListChangeHub hub, Vertx vertx, FeedbackService feedback, FeedbackHub feedbackHub) {
        this.feedback = feedback;
        this.feedbackHub = feedbackHub;
        this.pool = pool;
        this.tools = tools;
        this.settings = settings;
        this.tokens = tokens;
        this.hub = hub;
        this.vertx = vertx;
    }

    /** One request, notification or response from a client, already parsed and (for modern clients) checked. */
    public void post(RoutingContext rc, String ownerId, String target, List<McpServer> servers, JsonObject message,
            Era era, SessionTokens.Session session) {
        if (!JsonRpc.isRequest(message)) {
            // Notifications (initialized, cancelled) and responses need no answer from an endpoint without server requests.
            rc.response().setStatusCode(202).end();
            return;
        }
        Object id = message.getValue("id");
        String method = message.getString("method");
        JsonObject params = message.getJsonObject("params", new JsonObject());
        boolean modern = era == Era.MODERN;
        if (!modern && "initialize".equals(method)) {
            initialize(rc, ownerId, target, servers, id, params);
            return;
        }
        if (!modern && session == null) {
            error(rc, 400, id, JsonRpc.INVALID_REQUEST, "Bad Request: no valid Mcp-Session-Id; send initialize first");
            return;
        }
        boolean offersBuiltIn = AGGREGATE.equals(target) || BuiltIn.ID.equals(target);
        ServerSpace space = new ServerSpace(servers, AGGREGATE.equals(target),
                offersBuiltIn ? new BuiltIn(ownerId, feedback) : null, pool, tools, settings);
        if (modern && "subscriptions/listen".equals(method)) {
            listen(rc, ownerId, target, id, params);
            return;
        }
        Object progressToken = JsonRpc.progressToken(message);
        boolean stream = progressToken != null && accepts(rc, "text/event-stream");
        StreamWriter writer = stream ? new StreamWriter(rc.response()) : null;
        // Progress is requested even when the client cannot see it: it keeps a long call alive up to its cap.
        Consumer<JsonObject> progress = writer == null ? notification -> {
        } : notification -> {
            JsonObject relayed = notification.copy();
            JsonObject p = relayed.getJsonObject("params");
            if (p != null && p.containsKey("progressToken")) {
                p.put("progressToken", progressToken);
            }
            writer.event(relayed);
        };
        dispatch(space, method, params, modern, progress, servers)
                .subscribe().with(result -> {
                    JsonObject answer = JsonRpc.result(id, decorate(result, modern));
                    if (writer != null) {
                        writer.last(answer);
                    } else {
                        json(rc, 200, answer);
                    }
                }, failure -> {
                    JsonObject answer = errorFor(id, failure);
                    if (writer != null) {
                        writer.last(answer);
                    } else {
                        json(rc, 200, answer);
                    }
                });
    }

    /** The legacy GET stream: list changes for as long as the client keeps it open. */
    public void get(RoutingContext rc, String ownerId, String target) {
        HttpServerResponse out = rc.response();
        StreamWriter writer = new StreamWriter(out);
        ListChangeHub.Listener listener = hub.add(ownerId, AGGREGATE.equals(target) ? null : target,
                change -> writer.event(JsonRpc.notification(change.method, null)));
        // Prompts from the user's browser toolbar reach the agents listening on the aggregate.
        Consumer<JsonObject> prompts = AGGREGATE.equals(target) || BUILT_IN.equals(target)
                ? feedbackHub.onPrompt(ownerId, prompt -> writer.event(toolbarPrompt(prompt))) : null;
        out.closeHandler(v -> {
            hub.remove(listener);
            if (prompts != null) {
                feedbackHub.stopPrompts(ownerId, prompts);
            }
            writer.close();
        });
    }

    /** A toolbar prompt as an MCP log message: every client can show it, none must understand it. */
    private static JsonObject toolbarPrompt(JsonObject prompt) {
        return JsonRpc.notification("notifications/message", new JsonObject().put("level", "notice")
                .put("logger", "suite.toolbar").put("data", new JsonObject().put("type", "toolbar_prompt")
                        .mergeIn(prompt)));
    }

    private void initialize(RoutingContext rc, String ownerId, String target, List<McpServer> servers, Object id,
            JsonObject params) {
        String version = McpVersions.negotiateLegacy(params.getString("protocolVersion"));
        String session = tokens.issue(ownerId, new SessionTokens.Session(target, version, null));
        JsonObject result = new JsonObject()
                .put("protocolVersion", version)
                .put("capabilities", capabilities())
                .put("serverInfo", GatewayInfo.server(title(target, servers)));
        String instructions = instructions(target, servers);
        if (instructions != null) {
            // Clients validate the result strictly: an absent field, never a null one.
            result.put("instructions", instructions);
        }
        rc.response().putHeader("Mcp-Session-Id", session).putHeader("MCP-Protocol-Version", version);
        json(rc, 200, JsonRpc.result(id, result));
    }

    /** The 2026-07-28 notification stream: acknowledged first, then list changes tagged with the subscription. */
    private void listen(RoutingContext rc, String ownerId, String target, Object id, JsonObject params) {
        JsonObject wanted = params.getJsonObject("notifications", new JsonObject());
        JsonObject honoured = new JsonObject();
        for (String key : List.of("toolsListChanged", "promptsListChanged", "resourcesListChanged")) {
            if (wanted.getBoolean(key, false)) {
                honoured.put(key, true);
            }
        }
        StreamWriter writer = new StreamWriter(rc.response());
        JsonObject tag = new JsonObject().put(JsonRpc.META_SUBSCRIPTION_ID, id);
        writer.event(JsonRpc.notification("notifications/subscriptions/acknowledged",
                new JsonObject().put("_meta", tag).put("notifications", honoured)));
        ListChangeHub.Listener listener = hub.add(ownerId, AGGREGATE.equals(target) ? null : target, change -> {
            String key = switch (change) {
                case TOOLS -> "toolsListChanged";
                case PROMPTS -> "promptsListChanged";
                case RESOURCES -> "resourcesListChanged";
            };
            if (honoured.getBoolean(key, false)) {
                writer.event(JsonRpc.notification(change.method, new JsonObject().put("_meta", tag.copy())));
            }
        });
        rc.response().closeHandler(v -> {
            hub.remove(listener);
            writer.close();
        });
    }

    private Uni<JsonObject> dispatch(ServerSpace space, String method, JsonObject params, boolean modern,
            Consumer<JsonObject> progress, List<McpServer> servers) {
        return switch (method) {
            case "ping", "logging/setLevel" -> Uni.createFrom().item(new JsonObject());
            case "server/discover" -> Uni.createFrom().item(discover(servers));
            case "tools/list" -> space.listTools()
                    .map(list -> space.withAwaitingAuthorization(new JsonObject().put("tools", list)));
            case "tools/call" -> space.callTool(params, progress).map(McpEndpoint::upstreamAnswer);
            case "prompts/list" -> space.listPrompts()
                    .map(list -> space.withAwaitingAuthorization(new JsonObject().put("prompts", list)));
            case "prompts/get" -> space.getPrompt(params).map(McpEndpoint::upstreamAnswer);
            case "resources/list" -> space.listResources()
                    .map(list -> space.withAwaitingAuthorization(new JsonObject().put("resources", list)));
            case "resources/templates/list" -> space.listResourceTemplates()
                    .map(list -> space.withAwaitingAuthorization(new JsonObject().put("resourceTemplates", list)));
            case "resources/read" -> space.readResource(params).map(McpEndpoint::upstreamAnswer);
            default -> Uni.createFrom().failure(new ServerSpace.EndpointError(JsonRpc.METHOD_NOT_FOUND,
                    "Method not found: " + method));
        };
    }

    private JsonObject discover(List<McpServer> servers) {
        JsonArray versions = new JsonArray(McpVersions.ALL);
        return new JsonObject()
                .put("supportedVersions", versions)
                .put("capabilities", capabilities())
                .put("ttlMs", 60_000)
                .put("cacheScope", "private");
    }

    private static JsonObject capabilities() {
        JsonObject listChanged = new JsonObject().put("listChanged", true);
        return new JsonObject().put("tools", listChanged).put("prompts", listChanged.copy())
                .put("resources", listChanged.copy()).put("logging", new JsonObject());
    }

    private static String title(String target, List<McpServer> servers) {
        if (BuiltIn.ID.equals(target)) {
            return "Suite MCP gateway: built-in tools";
        }
        return AGGREGATE.equals(target) || servers.isEmpty() ? "Suite MCP gateway (all your servers)"
                : "Suite MCP gateway: " + servers.get(0).name;
    }

    private static String instructions(String target, List<McpServer> servers) {
        return AGGREGATE.equals(target)
                ? "Tools, prompts and resources of your enabled MCP servers. Names are prefixed with their server's "
                        + "name only where two servers offer the same one."
                : null;
    }

    /** The result of an upstream's response, or its error as an endpoint error the client sees as is. */
    private static JsonObject upstreamAnswer(JsonObject response) {
        JsonObject result = response.getJsonObject("result");
        if (result != null) {
            return result;
        }
        JsonObject error = response.getJsonObject("error", new JsonObject());
        throw new ServerSpace.EndpointError(error.getInteger("code", JsonRpc.INTERNAL_ERROR),
                error.getString("message", "The MCP server failed"));
    }

    private static JsonObject decorate(JsonObject result, boolean modern) {
        if (!modern) {
            return result;
        }
        JsonObject decorated = result.copy();
        decorated.put("resultType", decorated.getString("resultType", "complete"));
        JsonObject meta = decorated.getJsonObject("_meta", new JsonObject());
        decorated.put("_meta", meta.put(JsonRpc.META_SERVER_INFO, GatewayInfo.server("Suite MCP gateway")));
        return decorated;
    }

    private static JsonObject errorFor(Object id, Throwable failure) {
        if (failure instanceof ServerSpace.EndpointError e) {
            return JsonRpc.error(id, e.code, e.getMessage(), null);
        }
        if (failure instanceof ProblemException p) {
            int code = p.type().status() == 504 ? JsonRpc.TIMEOUT : JsonRpc.UPSTREAM_ERROR;
            JsonObject data = p.upstreamStatus() == null ? null : new JsonObject().put("upstream_status", p.upstreamStatus());
            return JsonRpc.error(id, code, p.getMessage(), data);
        }
        LOG.errorf(failure, "MCP request %s failed", id);
        return JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, "Internal error", null);
    }

    private static boolean accepts(RoutingContext rc, String type) {
        String accept = rc.request().getHeader("Accept");
        return accept != null && accept.contains(type);
    }

    static void json(RoutingContext rc, int status, JsonObject body) {
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    static void error(RoutingContext rc, int status, Object id, int code, String message) {
        json(rc, status, JsonRpc.error(id, code, message, null));
    }

    /** An event stream the endpoint writes itself: messages as events, and a comment when silent. */
    final class StreamWriter {
        private final HttpServerResponse out;
        private final long keepAlive;
        private long lastWrite = System.nanoTime();
        private boolean closed;

        StreamWriter(HttpServerResponse out) {
            this.out = out;
            out.setStatusCode(200).setChunked(true)
                    .putHeader("Content-Type", "text/event-stream")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Accel-Buffering", "no");
            out.write("");
            long interval = settings.keepAliveInterval().toMillis();
            keepAlive = vertx.setPeriodic(interval, t -> {
                if (System.nanoTime() - lastWrite >= interval * 1_000_000L) {
                    write(":\n\n");
                }
            });
        }

        synchronized void event(JsonObject message) {
            write("event: message\ndata: " + message.encode() + "\n\n");
        }

        synchronized void last(JsonObject message) {
            event(message);
            close();
            if (!out.ended() && !out.closed()) {
                out.end();
            }
        }

        synchronized void close() {
            closed = true;
            vertx.cancelTimer(keepAlive);
        }

        private synchronized void write(String text) {
            if (!closed && !out.ended() && !out.closed()) {
                out.write(text);
                lastWrite = System.nanoTime();
            }
        }
    }
}
