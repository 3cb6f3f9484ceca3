package dev.suite.mcp.proxy;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemResponses;
import dev.suite.commons.problem.ProblemType;
import dev.suite.mcp.endpoint.McpEndpoint;
import dev.suite.mcp.protocol.Era;
import dev.suite.mcp.protocol.JsonRpc;
import dev.suite.mcp.protocol.McpVersions;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.registry.McpServerService;
import dev.suite.mcp.registry.ServerCache;
import dev.suite.mcp.upstream.HttpStreamUpstream;
import dev.suite.mcp.upstream.Upstream;
import dev.suite.mcp.upstream.UpstreamPool;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * The MCP routes: {@code /mcp/servers/{id}} reaches one registered server (chosen by id, never by
 * a URL from the request), {@code /mcp} is the union of the caller's enabled servers. They are
 * plain Vert.x routes because a proxy must relay status, headers and event streams as they come.
 *
 * <p>A client and a Streamable HTTP server of the same era are relayed as they are. Otherwise —
 * a legacy client and a 2026-07-28 server, or any client and a stdio or HTTP+SSE server — the
 * gateway answers the client itself and calls the server as its own client.
 */
@ApplicationScoped
public class ProxyRoutes {

    private final McpServerService servers;
    private final ServerCache cache;
    private final UpstreamPool pool;
    private final PassThrough passThrough;
    private final McpEndpoint endpoint;
    private final SessionTokens tokens;
    private final long maxBody;

    public ProxyRoutes(McpServerService servers, ServerCache cache, UpstreamPool pool, PassThrough passThrough, McpEndpoint endpoint,
            SessionTokens tokens, @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.servers = servers;
        this.cache = cache;
        this.pool = pool;
        this.passThrough = passThrough;
        this.endpoint = endpoint;
        this.tokens = tokens;
        this.maxBody = maxBody.asLongValue();
    }

    void register(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBody);
        router.post("/mcp/servers/:id").handler(body).handler(this::serverPost);
        router.get("/mcp/servers/:id").handler(rc -> serverStream(rc, HttpMethod.GET));
        router.delete("/mcp/servers/:id").handler(rc -> serverStream(rc, HttpMethod.DELETE));
        router.post("/mcp").handler(body).handler(this::aggregatePost);
        router.get("/mcp").handler(this::aggregateGet);
        router.delete("/mcp").handler(rc -> rc.response().setStatusCode(204).end());
    }

    private void serverPost(RoutingContext rc) {
        JsonObject message = parsed(rc);
        if (message == null) {
            return;
        }
        boolean modern = ModernChecks.isModern(rc.request().headers(), message);
        String ownerId = CurrentUser.of(rc);
        String serverId = rc.pathParam("id");
        if (McpEndpoint.BUILT_IN.equals(serverId)) {
            answerBuiltIn(rc, ownerId, message, modern);
            return;
        }
        cache.owned(ownerId, serverId).chain(server -> {
            requireEnabled(server);
            Upstream upstream = pool.get(server);
            if (!(upstream instanceof HttpStreamUpstream http)) {
                return Uni.createFrom().item(() -> {
                    answerHere(rc, ownerId, server, message, modern);
                    return null;
                });
            }
            return http.connect().invoke(handshake -> {
                boolean upstreamModern = handshake.era() == Era.MODERN;
                if (upstreamModern != modern) {
                    answerHere(rc, ownerId, server, message, modern);
                } else if (modern) {
                    passThrough.relay(rc, ownerId, server, http.target(), null, rc.body().buffer(),
                            message.getValue("id"), null);
                } else {
                    relayLegacy(rc, ownerId, server, http, message);
                }
            });
        }).subscribe().with(ignored -> {
        }, e -> PassThrough.fail(rc, e));
    }

    private void relayLegacy(RoutingContext rc, String ownerId, McpServer server, HttpStreamUpstream http,
            JsonObject message) {
        boolean initialize = "initialize".equals(message.getString("method"));
        SessionTokens.Session session = null;
        if (!initialize) {
            session = sessionOf(rc, ownerId, server.id);
            if (session == SESSION_REFUSED) {
                return;
            }
        }
        String version = initialize ? McpVersions.negotiateLegacy(
                message.getJsonObject("params", new JsonObject()).getString("protocolVersion")) : null;
        Buffer body = rc.body().buffer();
        passThrough.relay(rc, ownerId, server, http.target(), session, body, message.getValue("id"), version);
    }

    private void answerHere(RoutingContext rc, String ownerId, McpServer server, JsonObject message, boolean modern) {
        SessionTokens.Session session = null;
        if (!modern && !"initialize".equals(message.getString("method"))) {
            session = sessionOf(rc, ownerId, server.id);
            if (session == SESSION_REFUSED) {
                return;
            }
        }
        endpoint.post(rc, ownerId, server.id, List.of(server), message, modern ? Era.MODERN : Era.LEGACY, session);
    }

    /** The gateway's own server {@code suite}: answered here, no registry row. */
    private void answerBuiltIn(RoutingContext rc, String ownerId, JsonObject message, boolean modern) {
        SessionTokens.Session session = null;
        if (!modern && !"initialize".equals(message.getString("method"))) {
            session = sessionOf(rc, ownerId, McpEndpoint.BUILT_IN);
            if (session == SESSION_REFUSED) {
                return;
            }
        }
        endpoint.post(rc, ownerId, McpEndpoint.BUILT_IN, List.of(), message, modern ? Era.MODERN : Era.LEGACY, session);
    }

    /** GET (the server's notification stream) and DELETE (end of session) on one server. */
    private void serverStream(RoutingContext rc, HttpMethod method) {
        String ownerId = CurrentUser.of(rc);
        String serverId = rc.pathParam("id");
        if (McpEndpoint.BUILT_IN.equals(serverId)) {
            aggregateOrBuiltInStream(rc, ownerId, McpEndpoint.BUILT_IN, method);
            return;
        }
        cache.owned(ownerId, serverId).chain(server -> {
            requireEnabled(server);
            Upstream upstream = pool.get(server);
            Uni<Upstream.Handshake> era = upstream instanceof HttpStreamUpstream http ? http.connect()
                    : Uni.createFrom().nullItem();
            return era.invoke(handshake -> {
                SessionTokens.Session session = sessionOf(rc, ownerId, server.id);
                if (session == SESSION_REFUSED) {
                    return;
                }
                boolean relay = handshake != null && handshake.era() == Era.LEGACY && session != null
                        && session.upstreamSession() != null;
                if (relay) {
                    passThrough.relay(rc, ownerId, server, ((HttpStreamUpstream) upstream).target(), session, null,
                            null, null);
                } else if (method == HttpMethod.DELETE) {
                    rc.response().setStatusCode(204).end();
                } else if (session == null) {
                    noStreamWithoutSession(rc);
                } else {
                    endpoint.get(rc, ownerId, server.id);
                }
            });
        }).subscribe().with(ignored -> {
        }, e -> PassThrough.fail(rc, e));
    }

    private void aggregatePost(RoutingContext rc) {
        JsonObject message = parsed(rc);
        if (message == null) {
            return;
        }
        boolean modern = ModernChecks.isModern(rc.request().headers(), message);
        String ownerId = CurrentUser.of(rc);
        SessionTokens.Session session = null;
        if (!modern && !"initialize".equals(message.getString("method"))) {
            session = sessionOf(rc, ownerId, McpEndpoint.AGGREGATE);
            if (session == SESSION_REFUSED) {
                return;
            }
        }
        SessionTokens.Session checked = session;
        // invoke, not the item callback: a failure while answering must reach the failure handler, not be dropped.
        servers.enabled(ownerId)
                .invoke(list -> endpoint.post(rc, ownerId, McpEndpoint.AGGREGATE, list, message,
                        modern ? Era.MODERN : Era.LEGACY, checked))
                .subscribe().with(ignored -> {
                }, e -> PassThrough.fail(rc, e));
    }

    private void aggregateGet(RoutingContext rc) {
        aggregateOrBuiltInStream(rc, CurrentUser.of(rc), McpEndpoint.AGGREGATE, HttpMethod.GET);
    }

    /** GET: the list-change stream of a session the gateway answers itself; DELETE: nothing to free. */
    private void aggregateOrBuiltInStream(RoutingContext rc, String ownerId, String target, HttpMethod method) {
        if (method == HttpMethod.DELETE) {
            rc.response().setStatusCode(204).end();
            return;
        }
        SessionTokens.Session session = sessionOf(rc, ownerId, target);
        if (session == SESSION_REFUSED) {
            return;
        }
        if (session == null) {
            noStreamWithoutSession(rc);
            return;
        }
        endpoint.get(rc, ownerId, target);
    }

    /** MCP's answer to a GET the endpoint offers no stream for: 405, here with a problem saying why. */
    private static void noStreamWithoutSession(RoutingContext rc) {
        rc.response().putHeader("Allow", "POST");
        ProblemResponses.end(rc.response(), new ProblemException(ProblemType.METHOD_NOT_ALLOWED,
                "A GET opens the event stream of a session: send Mcp-Session-Id (from initialize), or POST.",
                null, null, null), rc.request().path());
    }

    /** Marks a session id that was refused (and answered with 404). */
    private static final SessionTokens.Session SESSION_REFUSED = new SessionTokens.Session("", "", null);

    /**
     * The client's session: null when it sent none, {@link #SESSION_REFUSED} (already answered
     * with 404, as the specification says for unknown sessions) when it is not one of this user's
     * sessions with this target.
     */
    private SessionTokens.Session sessionOf(RoutingContext rc, String ownerId, String target) {
        String header = rc.request().getHeader("Mcp-Session-Id");
        if (header == null) {
            return null;
        }
        SessionTokens.Session session = tokens.open(ownerId, header);
        if (session == null || !target.equals(session.target())) {
            McpEndpointErrors.sessionNotFound(rc);
            return SESSION_REFUSED;
        }
        return session;
    }

    private static boolean modernRefused(RoutingContext rc, JsonObject message) {
        JsonObject problem = ModernChecks.problem(rc.request().headers(), message);
        if (problem == null) {
            return false;
        }
        rc.response().setStatusCode(400).putHeader("Content-Type", "application/json").end(problem.encode());
        return true;
    }

    /**
     * The body as one well-formed JSON-RPC message (for a 2026-07-28 client, with headers that
     * match it); otherwise answered here with a JSON-RPC error, and null.
     */
    private static JsonObject parsed(RoutingContext rc) {
        Buffer body = rc.body().buffer();
        Object value;
        try {
            value = body == null || body.length() == 0 ? null : Json.decodeValue(body);
        } catch (DecodeException e) {
            PassThrough.rpcError(rc, 400, null, JsonRpc.PARSE_ERROR, "Parse error: the body is not JSON", null);
            return null;
        }
        if (!(value instanceof JsonObject message)) {
            PassThrough.rpcError(rc, 400, null, JsonRpc.INVALID_REQUEST,
                    "Invalid Request: the body must be one JSON-RPC message object (batches are not supported)", null);
            return null;
        }
        Object id = message.getValue("id");
        boolean wellFormed = "2.0".equals(message.getValue("jsonrpc"))
                && (message.getValue("method") == null || message.getValue("method") instanceof String)
                && (message.getValue("params") == null || message.getValue("params") instanceof JsonObject)
                && (id == null || id instanceof String || id instanceof Number);
        if (!wellFormed) {
            PassThrough.rpcError(rc, 400, id instanceof String || id instanceof Number ? id : null,
                    JsonRpc.INVALID_REQUEST, "Invalid Request: jsonrpc must be \"2.0\", method a string, params an "
                            + "object and id a string or number", null);
            return null;
        }
        if (message.containsKey("params") && message.getValue("params") == null) {
            // "params": null, as some clients write an absent value: read as no params at all.
            message.remove("params");
        }
        if (ModernChecks.isModern(rc.request().headers(), message) && modernRefused(rc, message)) {
            return null;
        }
        return message;
    }

    private static void requireEnabled(McpServer server) {
        if (!server.enabled) {
            throw ProblemException.conflict("MCP server '" + server.name + "' is disabled.");
        }
    }
}
