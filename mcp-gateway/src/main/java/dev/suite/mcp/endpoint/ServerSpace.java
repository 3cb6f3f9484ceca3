package dev.suite.mcp.endpoint;

import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;
import dev.suite.mcp.McpSettings;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.tools.ToolsService;
import dev.suite.mcp.upstream.CallLimits;
import dev.suite.mcp.upstream.Upstream;
import dev.suite.mcp.upstream.UpstreamLists;
import dev.suite.mcp.upstream.UpstreamPool;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The tools, prompts and resources the gateway offers on an MCP endpoint it answers itself: one
 * server's (for a client whose era the server does not speak, or a stdio or HTTP+SSE server), or
 * the union of a user's enabled servers on {@code /mcp}. In the union a name is prefixed only when
 * two servers offer it, or when its server asks for a prefix; calls are routed back by that name.
 * A server that fails is left out of the union's lists rather than failing them; one that waits
 * for the user's OAuth authorization is named in the list's {@code _meta}, with what to do.
 */
final class ServerSpace {

    private static final Logger LOG = Logger.getLogger(ServerSpace.class);
    /** The {@code _meta} key of a list result naming the servers left out until the user authorises them. */
    static final String AWAITING_AUTHORIZATION = "dev.suite/awaitingAuthorization";

    /** One item of a list as its server offers it, where it came from, and the name this endpoint shows. */
    private record Item(McpServer server, JsonObject item, String exposedName) {
        Item(McpServer server, JsonObject item) {
            this(server, item, item.getString("name", ""));
        }
    }

    private final List<McpServer> servers;
    private final boolean aggregate;
    /** The built-in server's tools are offered here (the aggregate, and /mcp/servers/suite). */
    private final BuiltIn builtIn;
    private final UpstreamPool pool;
    private final ToolsService tools;
    private final McpSettings settings;
    /** Servers of the union that answered "authorise first" while listing, by id. */
    private final Map<String, JsonObject> awaitingAuthorization = new ConcurrentHashMap<>();

    ServerSpace(List<McpServer> servers, boolean aggregate, BuiltIn builtIn, UpstreamPool pool, ToolsService tools,
            McpSettings settings) {
        this.servers = servers;
        this.aggregate = aggregate;
        this.builtIn = builtIn;
        this.pool = pool;
        this.tools = tools;
        this.settings = settings;
    }

    Uni<JsonArray> listTools() {
        return named(allTools()).map(ServerSpace::exposed);
    }

    /** The upstream servers' tools, and the built-in server's when this space offers it. */
    private Uni<List<Item>> allTools() {
        Uni<List<Item>> upstream = collect(s -> tools.tools(s, pool.get(s)));
        if (builtIn == null) {
            return upstream;
        }
        return upstream.map(items -> {
            List<Item> all = new ArrayList<>(builtIn.tools().stream().map(t -> new Item(BuiltIn.SERVER, t)).toList());
            all.addAll(items);
            return all;
        });
    }

    Uni<JsonArray> listPrompts() {
        return named(collect(s -> list(s, "prompts/list", "prompts", "prompts"))).map(ServerSpace::exposed);
    }

    Uni<JsonArray> listResources() {
        return collect(s -> list(s, "resources/list", "resources", "resources"))
                .map(items -> new JsonArray(items.stream().map(Item::item).toList()));
    }

    Uni<JsonArray> listResourceTemplates() {
        return collect(s -> list(s, "resources/templates/list", "resourceTemplates", "resources"))
                .map(items -> new JsonArray(items.stream().map(Item::item).toList()));
    }

    /** Calls a tool by the name this endpoint gave it; progress notifications go to {@code progress}. */
    Uni<JsonObject> callTool(JsonObject params, Consumer<JsonObject> progress) {
        return callNamed("tools/call", params, progress, allTools());
    }

    Uni<JsonObject> getPrompt(JsonObject params) {
        return callNamed("prompts/get", params, null, collect(s -> list(s, "prompts/list", "prompts", "prompts")));
    }

    /** Sends a request about a named item to the server that offers it, under the name that server uses. */
    private Uni<JsonObject> callNamed(String method, JsonObject params, Consumer<JsonObject> progress,
            Uni<List<Item>> offered) {
        String name = params.getString("name");
        return named(offered).chain(items -> {
            Item item = find(items, name);
            JsonObject upstreamParams = params.copy().put("name", item.item().getString("name"));
            upstreamParams.remove("_meta");
            if (item.server() == BuiltIn.SERVER) {
                return builtIn.call(upstreamParams, progress);
            }
            Upstream upstream = pool.get(item.server());
            Uni<JsonObject> sent = upstream.call(method, upstreamParams, progress, CallLimits.of(item.server()));
            return "tools/call".equals(method) ? tools.observed(item.server(), upstream, upstreamParams.getString("name"), sent)
                    : sent;
        });
    }

    /** Reads a resource from the server that listed it, or from the first server that has it. */
    Uni<JsonObject> readResource(JsonObject params) {
        String uri = params.getString("uri");
        JsonObject upstreamParams = params.copy();
        upstreamParams.remove("_meta");
        return collect(s -> list(s, "resources/list", "resources", "resources")).chain(items -> {
            List<McpServer> order = new ArrayList<>();
            items.stream().filter(i -> uri != null && uri.equals(i.item().getString("uri")))
                    .forEach(i -> order.add(i.server()));
            servers.stream().filter(s -> !order.contains(s)).forEach(order::add);
            return readFrom(order, 0, upstreamParams);
        });
    }

    private Uni<JsonObject> readFrom(List<McpServer> order, int index, JsonObject params) {
        if (index >= order.size()) {
            return Uni.createFrom().failure(new EndpointError(-32002, "Resource not found: " + params.getString("uri")));
        }
        McpServer server = order.get(index);
        return pool.get(server).call("resources/read", params, null, CallLimits.of(server))
                .chain(response -> response.containsKey("result") || index + 1 >= order.size()
                        ? Uni.createFrom().item(response) : readFrom(order, index + 1, params));
    }

    private static Item find(List<Item> items, String name) {
        return items.stream().filter(i -> i.exposedName().equals(name)).findFirst()
                .orElseThrow(() -> new EndpointError(-32602, "Unknown name: " + name));
    }

    private Uni<JsonArray> list(McpServer server, String method, String key, String capability) {
        Upstream upstream = pool.get(server);
        return UpstreamLists.all(server, upstream, method, key, capability, CallLimits.quick(settings.requestTimeout()));
    }

    /** Each server's list, concurrently; in the union a failing server is logged and left out. */
    private Uni<List<Item>> collect(Function<McpServer, Uni<JsonArray>> lister) {
        if (servers.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<List<Item>>> perServer = servers.stream().map(server -> {
            Uni<List<Item>> items = lister.apply(server).map(array -> array.stream()
                    .filter(JsonObject.class::isInstance)
                    .map(o -> new Item(server, (JsonObject) o))
                    .toList());
            // In the union a slow or unreachable server is left out after a short wait rather than
            // holding every call (its list is cached once it answers).
            return aggregate ? items.ifNoItem().after(settings.aggregateListTimeout()).fail()
                    .onFailure().recoverWithItem(e -> {
                if (e instanceof ProblemException problem && problem.type() == ProblemType.UNAUTHORIZED) {
                    awaitingAuthorization.put(server.id, new JsonObject().put("serverId", server.id)
                            .put("name", server.name).put("message", problem.getMessage()));
                } else {
                    LOG.warnf("MCP server '%s' left out of the aggregated list: %s", server.name, e.getMessage());
                }
                return List.of();
            }) : items;
        }).toList();
        return Uni.join().all(perServer).andFailFast()
                .map(lists -> lists.stream().flatMap(List::stream).toList());
    }

    /** A list result of the union, naming in its {@code _meta} the servers that wait for the user's authorization. */
    JsonObject withAwaitingAuthorization(JsonObject result) {
        if (!awaitingAuthorization.isEmpty()) {
            result.put("_meta", new JsonObject().put(AWAITING_AUTHORIZATION,
                    new JsonArray(List.copyOf(awaitingAuthorization.values()))));
        }
        return result;
    }

    /** Renames items for the union: a prefix when a name is offered twice or its server asks for one. */
    private Uni<List<Item>> named(Uni<List<Item>> items) {
        if (!aggregate) {
            return items;
        }
        return items.map(list -> {
            Map<String, Integer> counts = new HashMap<>();
            list.forEach(i -> counts.merge(i.exposedName(), 1, Integer::sum));
            return list.stream().map(i -> counts.get(i.exposedName()) < 2 && i.server().namePrefix == null ? i
                    : new Item(i.server(), i.item(), prefix(i.server()) + settings.nameSeparator() + i.exposedName()))
                    .toList();
        });
    }

    private static JsonArray exposed(List<Item> items) {
        return new JsonArray(items.stream().map(i -> i.item().copy().put("name", i.exposedName())).toList());
    }

    private static String prefix(McpServer server) {
        if (server.namePrefix != null) {
            return server.namePrefix;
        }
        String cleaned = server.name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "_");
        return cleaned.isEmpty() ? server.id.substring(0, 8) : cleaned;
    }

    /** A protocol-level error this endpoint answers as a JSON-RPC error. */
    static final class EndpointError extends RuntimeException {
        final int code;

        EndpointError(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
