package dev.suite.launcher.gateway;

import dev.suite.commons.perimeter.PerimeterRules;
import dev.suite.commons.testing.PerimeterChecks;
import dev.suite.commons.testing.RawHttp;
import dev.suite.launcher.supervise.ServiceDirectory;
import dev.suite.launcher.supervise.ServiceState;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway in front of a local upstream that stands in for the services and records what reached it. */
class ApiGatewayTest {

    private static final String FRONT_END = "http://localhost:5173";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static Vertx vertx;
    private static int gateway;
    private static int upstream;
    private static volatile Promise<Void> secondEvent;
    private static ServiceDirectory directory;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer()
                .webSocketHandler(socket -> socket.textMessageHandler(text -> socket.writeTextMessage("echo: " + text)))
                .requestHandler(request -> {
                    switch (request.path()) {
                        case "/v1/chat/completions" -> {
                            // One event now; the second only once the test has seen the first arrive.
                            request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
                            request.response().write("data: one\n\n");
                            secondEvent.future().onComplete(v -> request.response().end("data: two\n\n"));
                        }
                        case "/api/llm/cors" -> request.response().putHeader("Access-Control-Allow-Origin", "*").end("{}");
                        default -> request.body().onSuccess(body -> request.response()
                                .putHeader("Content-Type", "application/json")
                                .end(new JsonObject()
                                        .put("method", request.method().name())
                                        .put("uri", request.uri())
                                        .put("host", request.getHeader("Host"))
                                        .put("origin", request.getHeader("Origin"))
                                        .put("body", body.toString()).encode()));
                    }
                });
        upstream = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();

        directory = new ServiceDirectory();
        directory.put("llm-service", upstream, ServiceState.READY);
        directory.put("session-service", upstream, ServiceState.READY);
        directory.put("task-service", upstream, ServiceState.STARTING);
        directory.put("mcp-gateway", upstream, ServiceState.FAILED);
        directory.put("workflow-service", freePort(), ServiceState.READY); // nothing listens there
        gateway = freePort();
        vertx.deployVerticle(new ApiGateway(RouteTable.load(), directory, new PerimeterRules(List.of(), List.of(FRONT_END)), gateway))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void requestsReachTheServiceWithTheirMethodQueryBodyAndHost() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/llm/configs?limit=5&before=x"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"a\"}")));
        assertEquals(200, response.statusCode());
        JsonObject seen = new JsonObject(response.body());
        assertEquals("POST", seen.getString("method"));
        assertEquals("/api/llm/configs?limit=5&before=x", seen.getString("uri"));
        assertEquals("{\"name\":\"a\"}", seen.getString("body"));
        assertEquals("127.0.0.1:" + gateway, seen.getString("host"), "links the service builds point at the gateway");
    }

    @Test
    void anEventStreamIsPassedOnAsItIsWritten() throws Exception {
        secondEvent = Promise.promise();
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElseThrow());
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            // The upstream holds back the second event until this line has arrived: no buffering on the way.
            assertEquals("data: one", events.readLine());
            assertEquals("", events.readLine());
            secondEvent.complete();
            assertEquals("data: two", events.readLine());
        }
    }

    @Test
    void aWebSocketIsTunnelledToTheService() throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = HTTP.newWebSocketBuilder().header("Origin", FRONT_END)
                .buildAsync(URI.create("ws://127.0.0.1:" + gateway + "/ws/sessions"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("hello", true);
        assertEquals("echo: hello", reply.get(10, TimeUnit.SECONDS));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWebSocketFromAnOriginNotAllowedIsRefused() {
        ExecutionException refused = assertThrows(ExecutionException.class, () -> HTTP.newWebSocketBuilder()
                .header("Origin", "http://evil.example")
                .buildAsync(URI.create("ws://127.0.0.1:" + gateway + "/ws/sessions"), new WebSocket.Listener() {
                }).get(10, TimeUnit.SECONDS));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(403, handshake.getResponse().statusCode());
    }

    @Test
    void allowedOriginsGetCorsAndTheServiceNeverSeesTheOrigin() throws Exception {
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri("/api/sessions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", FRONT_END).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type"));
        assertEquals(204, preflight.statusCode());
        assertEquals(FRONT_END, preflight.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().contains("authorization"));

        HttpResponse<String> call = send(HttpRequest.newBuilder(uri("/api/sessions")).header("Origin", FRONT_END));
        assertEquals(200, call.statusCode());
        assertNull(new JsonObject(call.body()).getString("origin"), "the Origin stays at the gateway");
        assertEquals(FRONT_END, call.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(call.headers().firstValue("Access-Control-Expose-Headers").orElseThrow().contains("Location"));

        HttpResponse<String> replaced = send(HttpRequest.newBuilder(uri("/api/llm/cors")).header("Origin", FRONT_END));
        assertEquals(List.of(FRONT_END), replaced.headers().allValues("Access-Control-Allow-Origin"),
                "the gateway's CORS answer replaces the service's");
    }

    @Test
    void otherOriginsAreRefusedButTheGatewaysOwnPagesAreNot() throws Exception {
        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/api/sessions")).header("Origin", "http://evil.example"));
        assertEquals(403, refused.statusCode());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(refused.body().contains("SUITE_CORS_ORIGINS"), refused.body());

        HttpResponse<String> sameOrigin = send(HttpRequest.newBuilder(uri("/api/sessions"))
                .header("Origin", "http://127.0.0.1:" + gateway));
        assertEquals(200, sameOrigin.statusCode(), "the feedback page served through the gateway calls it too");
        assertFalse(sameOrigin.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    }

    @Test
    void aRebindingHostIsRefusedBeforeAnythingElseOverHttpAndWebSocket() throws Exception {
        String rebound = "rebind.attacker.example:" + gateway;
        // Same-origin as far as the page's browser knows: Origin and Host both name the attacker's domain.
        RawHttp.Response read = RawHttp.get(gateway, "/api/sessions", rebound, "Origin: http://" + rebound);
        PerimeterChecks.assertProblem(read, 421, "a read under a rebinding name");
        PerimeterChecks.assertProblem(RawHttp.get(gateway, "/q/health/ready", rebound), 421, "even the gateway's own answers");
        PerimeterChecks.assertProblem(RawHttp.upgrade(gateway, "/ws/sessions", rebound, "Origin: http://" + rebound), 421,
                "a WebSocket upgrade under a rebinding name");
        PerimeterChecks.assertProblem(RawHttp.upgrade(gateway, "/ws/sessions", "127.0.0.1:" + gateway,
                "Origin: null"), 403, "a sandboxed page's upgrade");

        assertEquals(101, RawHttp.upgrade(gateway, "/ws/sessions", "localhost:" + gateway).status(),
                "a client without an Origin, under a loopback name");
        assertEquals(200, RawHttp.get(gateway, "/api/sessions", "[::1]:" + gateway).status());
    }

    @Test
    void headsTooLongToParseAreProblems() throws Exception {
        PerimeterChecks.assertProblem(RawHttp.get(gateway, "/api/sessions/" + "x".repeat(20_000), "127.0.0.1"), 414,
                "a request line over the codec limit");
        PerimeterChecks.assertProblem(RawHttp.get(gateway, "/api/sessions", "127.0.0.1",
                "X-Big: " + "y".repeat(30_000)), 431, "headers over the codec limit");
        PerimeterChecks.assertProblem(RawHttp.send(gateway, "NOT HTTP AT ALL", null), 400, "garbage");
    }

    @Test
    void pathsNoServiceOwnsAndDotSegmentsAreProblems() throws Exception {
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(uri("/api/unknown")));
        assertEquals(404, unknown.statusCode());
        assertEquals(404, new JsonObject(unknown.body()).getInteger("status"));
        assertEquals(404, send(HttpRequest.newBuilder(uri("/mcpx"))).statusCode(), "a prefix is matched whole");

        HttpResponse<String> encodedSlash = send(HttpRequest.newBuilder(uri("/api/llm/..%2Fsessions")));
        assertEquals("/api/llm/..%2Fsessions", new JsonObject(encodedSlash.body()).getString("uri"),
                "an encoded slash is part of its segment: the owner of /api/llm gets the path as it came");
        assertEquals(400, send(HttpRequest.newBuilder(uri("/api/llm/%2e%2e/sessions"))).statusCode());
    }

    @Test
    void aServiceThatIsNotServingIsA503WithRetryAfter() throws Exception {
        HttpResponse<String> starting = send(HttpRequest.newBuilder(uri("/api/v1/tasks")));
        assertEquals(503, starting.statusCode());
        assertEquals("2", starting.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(new JsonObject(starting.body()).getString("detail").contains("task-service is starting"), starting.body());

        HttpResponse<String> fromPage = send(HttpRequest.newBuilder(uri("/api/v1/tasks")).header("Origin", FRONT_END));
        assertEquals(503, fromPage.statusCode());
        assertEquals(FRONT_END, fromPage.headers().firstValue("Access-Control-Allow-Origin").orElseThrow(),
                "the page can read why, rather than seeing a CORS error");

        HttpResponse<String> failed = send(HttpRequest.newBuilder(uri("/api/mcp/servers")));
        assertEquals(503, failed.statusCode());
        assertTrue(failed.body().contains("./suite restart mcp-gateway"), failed.body());
    }

    @Test
    void aServiceThatDoesNotTakeTheConnectionIsA502Problem() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/workflows")));
        assertEquals(502, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        JsonObject problem = new JsonObject(response.body());
        assertTrue(problem.getString("detail").startsWith("workflow-service did not answer"), response.body());
        assertEquals("/api/workflows", problem.getString("instance"));
    }

    @Test
    void healthIsReadyOnlyWhenEveryServiceIs() throws Exception {
        assertEquals(200, send(HttpRequest.newBuilder(uri("/q/health/live"))).statusCode());
        HttpResponse<String> ready = send(HttpRequest.newBuilder(uri("/q/health/ready")));
        assertEquals(503, ready.statusCode());
        JsonObject body = new JsonObject(ready.body());
        assertEquals("DOWN", body.getString("status"));
        assertTrue(body.encode().contains("\"name\":\"task-service\",\"status\":\"DOWN\""), ready.body());
    }

    @Test
    void apiHealthSumsTheServicesUpAndItsEventsPushEveryChange() throws Exception {
        HttpResponse<String> summary = send(HttpRequest.newBuilder(uri("/api/health")).header("Origin", FRONT_END));
        assertEquals(503, summary.statusCode());
        assertEquals(FRONT_END, summary.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        JsonObject body = new JsonObject(summary.body());
        assertEquals("down", body.getString("status"));
        assertEquals(new JsonObject().put("name", "llm-service").put("status", "up").put("state", "ready").put("port", upstream),
                body.getJsonArray("components").getJsonObject(0));
        assertEquals(405, send(HttpRequest.newBuilder(uri("/api/health")).POST(HttpRequest.BodyPublishers.noBody())).statusCode());

        HttpResponse<InputStream> events = HTTP.send(HttpRequest.newBuilder(uri("/api/health/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("text/event-stream", events.headers().firstValue("Content-Type").orElseThrow());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            assertEquals("retry: 2000", lines.readLine());
            assertEquals("", lines.readLine());
            assertEquals("event: health", lines.readLine());
            assertEquals("down", new JsonObject(lines.readLine().substring("data: ".length())).getString("status"));
            assertEquals("", lines.readLine());
            directory.put("task-service", upstream, ServiceState.READY);
            assertEquals("event: service", lines.readLine());
            assertEquals(new JsonObject().put("name", "task-service").put("status", "up").put("state", "ready").put("port", upstream),
                    new JsonObject(lines.readLine().substring("data: ".length())));
        } finally {
            directory.put("task-service", upstream, ServiceState.STARTING);
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
