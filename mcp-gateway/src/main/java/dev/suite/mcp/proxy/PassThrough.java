package dev.suite.mcp.proxy;

import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemResponses;
import dev.suite.mcp.McpSettings;
import dev.suite.mcp.protocol.JsonRpc;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.upstream.CallLimits;
import dev.suite.mcp.upstream.Target;
import dev.suite.mcp.upstream.UpstreamAccess;
import dev.suite.mcp.upstream.UpstreamHttp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;

/**
 * Relays a client's MCP traffic to a Streamable HTTP server of the same era, unchanged but for
 * the session id: the upstream's {@code Mcp-Session-Id} is sealed into the id the client gets
 * (see {@link SessionTokens}) and unsealed on the way back, so any replica can carry the session.
 * Bodies are relayed as they come; event streams frame by frame.
 */
@ApplicationScoped
public class PassThrough {

    /** Client headers that are part of the protocol and go upstream as they are. */
    private static final List<String> FORWARDED = List.of("Accept", "Content-Type", "MCP-Protocol-Version",
            "Last-Event-ID", "Mcp-Method", "Mcp-Name", "X-Request-Id", "traceparent", "tracestate");

    private final UpstreamHttp http;
    private final SessionTokens tokens;
    private final Vertx vertx;
    private final McpSettings settings;

    public PassThrough(UpstreamHttp http, SessionTokens tokens, Vertx vertx, McpSettings settings) {
        this.http = http;
        this.tokens = tokens;
        this.vertx = vertx;
        this.settings = settings;
    }

    /**
     * @param session   the client's session, null when it has none yet (initialize) or the era has none
     * @param requestId the JSON-RPC id of a single request, for a timeout answer on its stream; else null
     */
    public void relay(RoutingContext rc, String ownerId, McpServer server, Target target,
            SessionTokens.Session session, Buffer body, Object requestId, String initializeVersion) {
        HttpServerRequest in = rc.request();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        target.headers().forEach(headers::set);
        for (String name : FORWARDED) {
            String value = in.getHeader(name);
            if (value != null) {
                headers.set(name, value);
            }
        }
        for (var header : in.headers()) {
            if (header.getKey().toLowerCase(Locale.ROOT).startsWith("mcp-param-")) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        if (session != null && session.upstreamSession() != null) {
            headers.set("Mcp-Session-Id", session.upstreamSession());
        }
        HttpMethod method = in.method();
        http.send(method, target.uri(), headers, method == HttpMethod.POST ? body : null, target.credentials())
                .onFailure(e -> fail(rc, e))
                .onSuccess(response -> answer(rc, ownerId, server, response, session, requestId, initializeVersion));
    }

    private void answer(RoutingContext rc, String ownerId, McpServer server, HttpClientResponse response,
            SessionTokens.Session session, Object requestId, String initializeVersion) {
        HttpServerResponse out = rc.response();
        if (out.closed()) {
            response.request().reset();
            return;
        }
        int status = response.statusCode();
        if (status == 401) {
            // The upstream's own challenge would send the client to the upstream's authorization server.
            response.resume();
            fail(rc, UpstreamAccess.authorizationNeeded(server.name));
            return;
        }
        if (status >= 500) {
            response.resume();
            fail(rc, ProblemException.upstream("MCP server '" + server.name + "' answered HTTP " + status, status));
            return;
        }
        out.setStatusCode(status);
        String upstreamSession = response.getHeader("Mcp-Session-Id");
        if (upstreamSession != null) {
            String version = initializeVersion != null ? initializeVersion
                    : session != null ? session.protocolVersion() : null;
            out.putHeader("Mcp-Session-Id", tokens.issue(ownerId,
                    new SessionTokens.Session(server.id, version, upstreamSession)));
        }
        copy(response, out, "MCP-Protocol-Version");
        copy(response, out, "Allow");
        String type = response.getHeader("Content-Type");
        if (status == 200 && type != null && type.startsWith("text/event-stream")) {
            boolean notificationStream = rc.request().method() == HttpMethod.GET;
            new SseRelay(response, out, vertx, settings.keepAliveInterval(),
                    notificationStream ? null : CallLimits.of(server), requestId).start();
            return;
        }
        if (type != null) {
            out.putHeader("Content-Type", type);
        }
        http.readBody(response, "MCP server '" + server.name + "'").onComplete(result -> {
            if (result.failed()) {
                fail(rc, result.cause());
            } else {
                out.end(result.result());
            }
        });
    }

    private static void copy(HttpClientResponse from, HttpServerResponse to, String header) {
        String value = from.getHeader(header);
        if (value != null) {
            to.putHeader(header, value);
        }
    }

    static void fail(RoutingContext rc, Throwable e) {
        if (rc.response().headWritten()) {
            if (!rc.response().ended()) {
                rc.response().end();
            }
            return;
        }
        ProblemException problem = e instanceof ProblemException p ? p
                : ProblemException.upstream("The MCP server could not be reached.", null);
        ProblemResponses.end(rc.response(), problem, rc.request().path());
    }

    /** A JSON-RPC error with its HTTP status, for protocol errors the gateway answers itself. */
    static void rpcError(RoutingContext rc, int status, Object id, int code, String message, Object data) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(JsonRpc.error(id, code, message, data).encode());
    }
}
