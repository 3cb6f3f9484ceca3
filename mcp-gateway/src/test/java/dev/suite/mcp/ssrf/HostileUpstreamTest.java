package dev.suite.mcp.ssrf;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MCP servers that misbehave on purpose: an answer without end, an event line without end, and
 * a redirect to the cloud metadata address. The gateway answers 502, hangs up on them, and stays up.
 */
@QuarkusTest
class HostileUpstreamTest {

    private static Vertx vertx;
    private static int port;
    private static final Map<String, AtomicLong> SENT = new ConcurrentHashMap<>();
    private static final Set<String> HUNG_UP = ConcurrentHashMap.newKeySet();
    /** Requests per endless path: each read the gateway makes is capped, not their number (health checks). */
    private static final Map<String, AtomicLong> ASKED = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(HostileUpstreamTest::handle)
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private static void handle(HttpServerRequest request) {
        String path = request.path();
        switch (path) {
            case "/endless-json" -> endless(request, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"x\":\"");
            case "/endless-sse" -> endless(request, "text/event-stream", "event: message\ndata: {\"x\":\"");
            case "/to-metadata" -> request.response().setStatusCode(307)
                    .putHeader("Location", "http://169.254.169.254/latest/meta-data/").end();
            // Needs OAuth, and every discovery document points at the metadata address.
            case "/oauth-mcp" -> request.response().setStatusCode(401).putHeader("WWW-Authenticate",
                    "Bearer resource_metadata=\"http://169.254.169.254/latest/meta-data/\"").end();
            case "/.well-known/oauth-protected-resource/oauth-mcp", "/.well-known/oauth-protected-resource" ->
                    request.response().putHeader("Content-Type", "application/json").end(new io.vertx.core.json.JsonObject()
                            .put("resource", "http://127.0.0.1:" + port + "/oauth-mcp")
                            .put("authorization_servers", new io.vertx.core.json.JsonArray().add("http://169.254.169.254"))
                            .encode());
            default -> request.response().setStatusCode(404).end();
        }
    }

    private static void endless(HttpServerRequest request, String type, String start) {
        HttpServerResponse response = request.response().setChunked(true).putHeader("Content-Type", type);
        AtomicLong sent = SENT.computeIfAbsent(request.path(), p -> new AtomicLong());
        ASKED.computeIfAbsent(request.path(), p -> new AtomicLong()).incrementAndGet();
        response.closeHandler(v -> HUNG_UP.add(request.path()));
        response.write(start);
        Buffer chunk = Buffer.buffer("x".repeat(64 * 1024));
        vertx.setPeriodic(1, id -> {
            if (response.closed()) {
                vertx.cancelTimer(id);
                return;
            }
            // Counted once handed to the socket: a write queued after the gateway hung up fails and
            // never counts, however late this loop learns of the close.
            while (!response.closed() && !response.writeQueueFull()) {
                response.write(chunk).onSuccess(v -> sent.addAndGet(chunk.length()));
            }
        });
    }

    private static String register(String path) {
        return as(ALICE).body(Map.of("name", "hostile-" + UUID.randomUUID().toString().substring(0, 8),
                        "type", "http-stream", "url", "http://127.0.0.1:" + port + path))
                .post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
    }

    /**
     * An uncut read of an endless answer runs to the call's timeout, hundreds of MiB on loopback.
     * A cut read stops at its limit plus what loopback socket buffers and the event loop's read-ahead
     * held when the gateway hung up: up to tens of MiB when both cores are busy, so 32 MiB is
     * allowed. Reads are counted after the bytes, so a read starting in between is not missed.
     */
    private static void assertBoundedPerRead(String path, long limitMiB) {
        long sent = SENT.get(path).get();
        long reads = ASKED.get(path).get();
        assertTrue(sent < reads * (limitMiB + 32) * 1024 * 1024, sent + " bytes sent for " + reads + " reads");
    }

    private static void assertStillServing() {
        as(ALICE).get("/q/health/live").then().statusCode(200);
        as(ALICE).get("/api/mcp/servers").then().statusCode(200);
    }

    @Test
    void anAnswerWithoutEndIsCutAndTheCallEndsWith502() {
        String id = register("/endless-json");
        as(ALICE).get("/api/mcp/servers/" + id + "/tools").then().statusCode(502)
                .contentType("application/problem+json").body("detail", containsString("larger than"));
        await().atMost(Duration.ofSeconds(10)).until(() -> HUNG_UP.contains("/endless-json"));
        // Each read (discovery, initialize, any health check between) stops at 32 MiB; the rest is
        // what sat in socket buffers and in flight when the gateway hung up.
        assertBoundedPerRead("/endless-json", 32);
        as(ALICE).header("Accept", "application/json, text/event-stream")
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of(
                        "protocolVersion", "2025-11-25", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "t", "version", "1"))))
                .post("/mcp/servers/" + id).then().statusCode(502).contentType("application/problem+json");
        assertStillServing();
    }

    @Test
    void anEventLineWithoutEndIsCutAndTheCallEndsWith502() {
        String id = register("/endless-sse");
        as(ALICE).get("/api/mcp/servers/" + id + "/tools").then().statusCode(502)
                .contentType("application/problem+json").body("detail", containsString("longer than"));
        await().atMost(Duration.ofSeconds(10)).until(() -> HUNG_UP.contains("/endless-sse"));
        // Each read stops at the 4 MiB line limit.
        assertBoundedPerRead("/endless-sse", 4);
        assertStillServing();
    }

    @Test
    void oauthDiscoveryNeverFollowsDocumentsToTheMetadataAddress() {
        String id = as(ALICE).body(Map.of("name", "hostile-" + UUID.randomUUID().toString().substring(0, 8),
                        "type", "http-stream", "url", "http://127.0.0.1:" + port + "/oauth-mcp", "oauth", Map.of()))
                .post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
        as(ALICE).body(Map.of("server_id", id)).post("/mcp/oauth/start").then().statusCode(502)
                .contentType("application/problem+json")
                .body("detail", containsString("169.254.169.254"))
                .body("detail", containsString("not allowed"));
        assertStillServing();
    }

    @Test
    void aRedirectToTheMetadataAddressIsRefused() {
        String id = register("/to-metadata");
        as(ALICE).get("/api/mcp/servers/" + id + "/tools").then().statusCode(502)
                .body("detail", containsString("169.254.169.254"))
                .body("detail", containsString("not allowed"));
        assertStillServing();
    }
}
