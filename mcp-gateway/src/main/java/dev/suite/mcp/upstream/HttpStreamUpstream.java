package dev.suite.mcp.upstream;

import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.request.RequestIds;
import dev.suite.commons.stream.LineTooLongException;
import dev.suite.commons.stream.SseDecoder;
import dev.suite.commons.stream.SseEvent;
import dev.suite.mcp.protocol.Era;
import dev.suite.mcp.protocol.JsonRpc;
import dev.suite.mcp.protocol.McpVersions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A Streamable HTTP server in either era. The era is detected once, on first use: a modern
 * {@code server/discover} first, and {@code initialize} when the server does not answer it the
 * modern way. A legacy server gets one gateway session (re-initialised when the server says it
 * expired); a modern one gets the protocol {@code _meta} and headers on every request.
 */
public final class HttpStreamUpstream implements Upstream {

    private static final Logger LOG = Logger.getLogger(HttpStreamUpstream.class);
    private static final int MAX_RESUMES = 5;
    /** The answer to a notification is empty (202); anything beyond a short error body is not read. */
    private static final int NOTIFICATION_ANSWER_BYTES = 64 * 1024;

    private final Target target;
    private final UpstreamHttp http;
    private final Vertx vertx;
    private final Duration handshakeTimeout;
    private final AtomicLong ids = new AtomicLong();
    private volatile Uni<Handshake> handshake;
    private volatile String sessionId;
    private volatile String legacyVersion = McpVersions.LATEST_LEGACY;
    private volatile boolean closed;

    private final Consumer<JsonObject> notices;

    /** @param notices receives {@code list_changed} notifications the server sends on any stream */
    public HttpStreamUpstream(Target target, UpstreamHttp http, Vertx vertx, Duration handshakeTimeout,
            Consumer<JsonObject> notices) {
        this.notices = notices;
        this.target = target;
        this.http = http;
        this.vertx = vertx;
        this.handshakeTimeout = handshakeTimeout;
    }

    public Target target() {
        return target;
    }

    @Override
    public Uni<Handshake> connect() {
        Uni<Handshake> current = handshake;
        if (current == null) {
            current = detect().onFailure().invoke(e -> handshake = null).memoize().indefinitely();
            handshake = current;
        }
        return current;
    }

    @Override
    public Uni<JsonObject> call(String method, JsonObject params, Consumer<JsonObject> onNotification,
            CallLimits limits) {
        return connect().chain(h -> send(h, method, params, onNotification, limits)
                .onFailure(SessionExpired.class).recoverWithUni(expired -> {
                    LOG.debugf("%s: the upstream session expired; initialising a new one", target);
                    handshake = null;
                    return connect().chain(again -> send(again, method, params, onNotification, limits));
                }));
    }

    @Override
    public void close() {
        closed = true;
        String session = sessionId;
        if (session != null) {
            // Ends the gateway's session politely; a server that does not support DELETE answers 405.
            MultiMap headers = baseHeaders(legacyVersion).set("Mcp-Session-Id", session);
            http.send(HttpMethod.DELETE, target.uri(), headers, null, target.credentials()).onSuccess(HttpClientResponse::resume);
        }
    }

    private Uni<Handshake> detect() {
        CallLimits limits = CallLimits.quick(handshakeTimeout);
        JsonObject discover = JsonRpc.request(nextId(), "server/discover", new JsonObject().put("_meta", modernMeta()));
        return Uni.createFrom().<JsonObject>emitter(emitter -> {
                    PendingCall call = new PendingCall(vertx, emitter, null, limits, target + " discovery");
                    post(discover, modernHeaders("server/discover", null), call, true);
                })
                .onFailure(ModernRefusal.class).recoverWithItem(refusal -> ((ModernRefusal) refusal).response)
                .onFailure().recoverWithItem((JsonObject) null)
                .chain(response -> {
                    Handshake modern = modernHandshake(response);
                    return modern != null ? Uni.createFrom().item(modern) : initialize(limits);
                });
    }

    /** A discover result listing the modern version, or a modern error naming it, makes a modern server. */
    private static Handshake modernHandshake(JsonObject response) {
        if (response == null) {
            return null;
        }
        JsonObject result = response.getJsonObject("result");
        if (result != null && result.getJsonArray("supportedVersions") != null
                && result.getJsonArray("supportedVersions").contains(McpVersions.MODERN)) {
            JsonObject meta = result.getJsonObject("_meta");
            JsonObject serverInfo = meta != null && meta.getJsonObject(JsonRpc.META_SERVER_INFO) != null
                    ? meta.getJsonObject(JsonRpc.META_SERVER_INFO) : result.getJsonObject("serverInfo");
            return new Handshake(Era.MODERN, McpVersions.MODERN, result.getJsonObject("capabilities", new JsonObject()),
                    serverInfo, result.getString("instructions"));
        }
        return null;
    }

    private Uni<Handshake> initialize(CallLimits limits) {
        sessionId = null;
        JsonObject params = new JsonObject()
                .put("protocolVersion", McpVersions.LATEST_LEGACY)
                .put("capabilities", new JsonObject())
                .put("clientInfo", GatewayInfo.client());
        JsonObject request = JsonRpc.request(nextId(), "initialize", params);
        return Uni.createFrom().<JsonObject>emitter(emitter -> {
                    PendingCall call = new PendingCall(vertx, emitter, null, limits, target + " initialize");
                    post(request, baseHeaders(McpVersions.LATEST_LEGACY), call, false);
                })
                .map(response -> {
                    JsonObject result = response.getJsonObject("result");
                    if (result == null) {
                        throw ProblemException.upstream(target + " refused initialize: "
                                + response.getJsonObject("error", new JsonObject()).getString("message"), null);
                    }
                    String version = result.getString("protocolVersion", McpVersions.LATEST_LEGACY);
                    legacyVersion = version;
                    return new Handshake(Era.LEGACY, version, result.getJsonObject("capabilities", new JsonObject()),
                            result.getJsonObject("serverInfo"), result.getString("instructions"));
                })
                .call(h -> notifyInitialized(h.protocolVersion()));
    }

    private Uni<Void> notifyInitialized(String version) {
        MultiMap headers = sessionHeaders(version);
        Buffer body = JsonRpc.notification("notifications/initialized", null).toBuffer();
        return Uni.createFrom().completionStage(() -> http.send(HttpMethod.POST, target.uri(), headers, body, target.credentials())
                        .compose(response -> http.readBody(response, target.toString(), NOTIFICATION_ANSWER_BYTES)
                                .map(response.statusCode()))
                        .toCompletionStage())
                .invoke(status -> {
                    if (status == 401) {
                        throw UpstreamAccess.authorizationNeeded(target.name());
                    }
                    if (status >= 300) {
                        throw ProblemException.upstream(target + " refused notifications/initialized", status);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<JsonObject> send(Handshake h, String method, JsonObject params, Consumer<JsonObject> onNotification,
            CallLimits limits) {
        long id = nextId();
        JsonObject body = params == null ? new JsonObject() : params.copy();
        if (onNotification != null) {
            meta(body).put("progressToken", id);
        }
        MultiMap headers;
        if (h.era() == Era.MODERN) {
            meta(body).mergeIn(modernMeta());
            headers = modernHeaders(method, nameOf(method, body));
        } else {
            headers = sessionHeaders(h.protocolVersion());
        }
        JsonObject request = JsonRpc.request(id, method, body);
        return Uni.createFrom().emitter(emitter -> {
            PendingCall call = new PendingCall(vertx, emitter, onNotification, limits, target + " " + method);
            post(request, headers, call, h.era() == Era.MODERN);
        });
    }

    /**
     * Posts one request and settles its call from the answer: a JSON body, or an event stream
     * whose messages are notifications until the response arrives. A legacy stream that ends
     * before the response is resumed with {@code Last-Event-ID}, as the 2025-11-25 polling allows.
     */
    private void post(JsonObject request, MultiMap headers, PendingCall call, boolean modern) {
        if (closed) {
            call.fail(ProblemException.unavailable(target + " was just reconfigured; retry.", Duration.ofSeconds(1)));
            return;
        }
        http.send(HttpMethod.POST, target.uri(), headers, request.toBuffer(), target.credentials())
                .onFailure(call::fail)
                .onSuccess(response -> answer(response, request, call, modern, 0));
    }

    private void answer(HttpClientResponse response, JsonObject request, PendingCall call, boolean modern, int resumes) {
        int status = response.statusCode();
        String type = response.getHeader("Content-Type") == null ? "" : response.getHeader("Content-Type");
        if (status == 401) {
            response.resume();
            call.fail(UpstreamAccess.authorizationNeeded(target.name()));
            return;
        }
        boolean sentSession = sessionId != null && !modern && !"initialize".equals(request.getString("method"));
        if (status == 404 && sentSession) {
            response.resume();
            call.fail(new SessionExpired());
            return;
        }
        if (status >= 200 && status < 300 && type.startsWith("text/event-stream")) {
            String session = response.getHeader("Mcp-Session-Id");
            if (session != null && !modern) {
                sessionId = session;
            }
            stream(response, request.getValue("id"), call, modern, resumes);
            return;
        }
        http.readBody(response, target.toString()).onFailure(call::fail).onSuccess(body -> {
            JsonObject message = Bodies.jsonOrNull(body);
            if (status >= 200 && status < 300 && message != null) {
                String session = response.getHeader("Mcp-Session-Id");
                if (session != null && !modern) {
                    sessionId = session;
                }
                call.complete(message);
            } else if (message != null && message.containsKey("error") && modern && isModernError(message)) {
                call.fail(new ModernRefusal(message));
            } else if (status == 400 && sentSession && message != null && message.containsKey("error")) {
                // Some servers (the SDK's own, after a restart) answer an unknown session with 400, not 404.
                call.fail(new SessionExpired());
            } else if (message != null && message.containsKey("error") && status < 500) {
                call.complete(message);
            } else {
                call.fail(ProblemException.upstream(target + " answered HTTP " + status
                        + (message == null ? " without a JSON-RPC body" : ""), status));
            }
        });
    }

    private static boolean isModernError(JsonObject message) {
        int code = message.getJsonObject("error").getInteger("code", 0);
        return code == JsonRpc.HEADER_MISMATCH || code == JsonRpc.MISSING_CLIENT_CAPABILITY
                || code == JsonRpc.UNSUPPORTED_PROTOCOL_VERSION;
    }

    private void stream(HttpClientResponse response, Object id, PendingCall call, boolean modern, int resumes) {
        SseDecoder decoder = new SseDecoder(http.maxLine());
        String[] lastEventId = {null};
        Consumer<SseEvent> onEvent = event -> {
            if (event.id() != null) {
                lastEventId[0] = event.id();
            }
            if (event.isEmpty()) {
                return;
            }
            JsonObject message;
            try {
                message = new JsonObject(event.data());
            } catch (DecodeException e) {
                LOG.debugf("%s sent an event that is not JSON; ignored", target);
                return;
            }
            if (JsonRpc.isResponse(message) && Objects.equals(String.valueOf(message.getValue("id")), String.valueOf(id))) {
                call.complete(message);
                response.request().reset();
            } else if (JsonRpc.isRequest(message)) {
                refuseServerRequest(message, modern);
            } else if (message.getString("method", "").endsWith("/list_changed")) {
                notices.accept(message);
            } else {
                call.notification(message);
            }
        };
        response.exceptionHandler(e -> call.fail(http.brokenOff(target + " broke off its stream", e)));
        response.handler(chunk -> {
            try {
                decoder.feed(chunk, onEvent);
            } catch (LineTooLongException e) {
                call.fail(ProblemException.upstream(target + ": " + e.getMessage(), null));
                response.request().reset();
            }
        });
        response.endHandler(v -> {
            decoder.end(onEvent);
            if (call.isDone()) {
                return;
            }
            if (!modern && lastEventId[0] != null && resumes < MAX_RESUMES) {
                resume(lastEventId[0], id, call, resumes + 1);
            } else {
                call.fail(ProblemException.upstream(target + " ended its stream without answering", null));
            }
        });
    }

    /** Reopens a stream the server closed before answering, from the last event seen. */
    private void resume(String lastEventId, Object id, PendingCall call, int resumes) {
        MultiMap headers = sessionHeaders(handshakeVersion()).set("Accept", "text/event-stream")
                .set("Last-Event-ID", lastEventId);
        headers.remove("Content-Type");
        http.send(HttpMethod.GET, target.uri(), headers, null, target.credentials())
                .onFailure(call::fail)
                .onSuccess(response -> {
                    if (response.statusCode() != 200) {
                        response.resume();
                        call.fail(ProblemException.upstream(target + " could not resume its stream", response.statusCode()));
                        return;
                    }
                    stream(response, id, call, false, resumes);
                });
    }

    /** The gateway's own calls cannot answer sampling or elicitation: tell the server so at once. */
    private void refuseServerRequest(JsonObject request, boolean modern) {
        JsonObject answer = JsonRpc.error(request.getValue("id"), JsonRpc.METHOD_NOT_FOUND,
                "The gateway's own client does not support " + request.getString("method"), null);
        MultiMap headers = modern ? modernHeaders(null, null) : sessionHeaders(handshakeVersion());
        http.send(HttpMethod.POST, target.uri(), headers, answer.toBuffer(), target.credentials()).onSuccess(HttpClientResponse::resume);
    }

    private String handshakeVersion() {
        return legacyVersion;
    }

    private MultiMap baseHeaders(String version) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        target.headers().forEach(headers::set);
        headers.set("Content-Type", "application/json")
                .set("Accept", "application/json, text/event-stream")
                .set("MCP-Protocol-Version", version);
        String requestId = RequestIds.current();
        if (requestId != null) {
            headers.set("X-Request-Id", requestId);
        }
        return headers;
    }

    private MultiMap sessionHeaders(String version) {
        MultiMap headers = baseHeaders(version);
        String session = sessionId;
        if (session != null) {
            headers.set("Mcp-Session-Id", session);
        }
        return headers;
    }

    private MultiMap modernHeaders(String method, String name) {
        MultiMap headers = baseHeaders(McpVersions.MODERN);
        if (method != null) {
            headers.set("Mcp-Method", method);
        }
        if (name != null) {
            headers.set("Mcp-Name", ModernHeaders.encode(name));
        }
        return headers;
    }

    private static JsonObject modernMeta() {
        return new JsonObject()
                .put(JsonRpc.META_PROTOCOL_VERSION, McpVersions.MODERN)
                .put(JsonRpc.META_CLIENT_CAPABILITIES, new JsonObject())
                .put(JsonRpc.META_CLIENT_INFO, GatewayInfo.client());
    }

    private static JsonObject meta(JsonObject params) {
        JsonObject meta = params.getJsonObject("_meta");
        if (meta == null) {
            meta = new JsonObject();
            params.put("_meta", meta);
        }
        return meta;
    }

    /** The value of {@code Mcp-Name}: the tool, prompt or resource a request names. */
    static String nameOf(String method, JsonObject params) {
        return switch (method) {
            case "tools/call", "prompts/get" -> params.getString("name");
            case "resources/read" -> params.getString("uri");
            default -> null;
        };
    }

    private long nextId() {
        return ids.incrementAndGet();
    }

    /** The server no longer knows the gateway's session (HTTP 404): initialise again and retry once. */
    static final class SessionExpired extends RuntimeException {
        SessionExpired() {
            super("session expired", null, false, false);
        }
    }

    /** A modern server's JSON-RPC refusal of the discovery request: still proof of its era. */
    static final class ModernRefusal extends RuntimeException {
        final transient JsonObject response;

        ModernRefusal(JsonObject response) {
            super("modern refusal", null, false, false);
            this.response = response;
        }
    }
}
