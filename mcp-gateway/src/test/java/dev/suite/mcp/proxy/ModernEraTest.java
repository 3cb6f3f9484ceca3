package dev.suite.mcp.proxy;

import dev.suite.mcp.ModernFakeServer;
import dev.suite.mcp.NodeServers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;
import java.util.UUID;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 2026-07-28 stateless era, upstream and downstream, and its translation to and from the legacy one. */
@QuarkusTest
class ModernEraTest {

    static final String MODERN = ModernFakeServer.VERSION;

    @TestHTTPResource("/")
    URL base;

    static ModernFakeServer fake;
    static NodeServers.Running everything;

    @BeforeAll
    static void start() {
        fake = new ModernFakeServer();
        everything = NodeServers.everything("streamableHttp");
    }

    @AfterAll
    static void stop() {
        fake.close();
        everything.close();
    }

    static String register(String url) {
        return as(ALICE).body(Map.of("name", "m-" + UUID.randomUUID().toString().substring(0, 8), "type", "http-stream",
                "url", url)).post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
    }

    static Map<String, Object> meta() {
        return Map.of("io.modelcontextprotocol/protocolVersion", MODERN,
                "io.modelcontextprotocol/clientCapabilities", Map.of(),
                "io.modelcontextprotocol/clientInfo", Map.of("name", "raw-test", "version", "1"));
    }

    static long callsBesidesDiscovery() {
        return fake.seen.stream().filter(s -> !"server/discover".equals(s.body().getString("method"))).count();
    }

    static Response modern(String path, String method, String name, Map<String, Object> params) {
        var spec = as(ALICE).header("MCP-Protocol-Version", MODERN).header("Mcp-Method", method)
                .header("Accept", "application/json, text/event-stream");
        if (name != null) {
            spec = spec.header("Mcp-Name", name);
        }
        var body = new java.util.HashMap<String, Object>(params);
        body.put("_meta", meta());
        return spec.body(Map.of("jsonrpc", "2.0", "id", 7, "method", method, "params", body)).post(path);
    }

    @Test
    void aResultStreamedByteByByteKeepsEveryCharacter() {
        String id = register(fake.url());
        as(ALICE).body(Map.of("message", "你好 🌍 ありがとう — ça va")).post("/api/mcp/servers/" + id + "/tools/bytewise/call")
                .then().statusCode(200).body("content[0].text", equalTo("modern: 你好 🌍 ありがとう — ça va"));
    }

    @Test
    void gatewayDetectsAModernServerAndSpeaksItsHeaders() {
        String id = register(fake.url());
        as(ALICE).get("/api/mcp/servers/" + id + "/tools").then().statusCode(200).body("tools.name", hasItem("echo"));
        as(ALICE).body(Map.of("message", "hi")).post("/api/mcp/servers/" + id + "/tools/echo/call")
                .then().statusCode(200).body("content[0].text", equalTo("modern: hi"));
        ModernFakeServer.Seen call = fake.seen.stream().filter(s -> "tools/call".equals(s.method())).reduce((a, b) -> b)
                .orElseThrow();
        assertEquals("echo", call.name());
        assertEquals(MODERN, call.version());
        assertEquals(MODERN, call.body().getJsonObject("params").getJsonObject("_meta")
                .getString("io.modelcontextprotocol/protocolVersion"));
    }

    @Test
    void modernClientIsRelayedToAModernServer() {
        String id = register(fake.url());
        modern("/mcp/servers/" + id, "tools/call", "echo", Map.of("name", "echo", "arguments", Map.of("message", "x")))
                .then().statusCode(200).body("result.content[0].text", equalTo("modern: x"));
        as(ALICE).get("/mcp/servers/" + id).then().statusCode(405);
    }

    @Test
    void headerMismatchAndUnknownVersionAreRefusedByTheGateway() {
        String id = register(fake.url());
        // Health checks reach the fake with server/discover at any time: count the other requests only.
        long before = callsBesidesDiscovery();
        modern("/mcp/servers/" + id, "tools/call", "other", Map.of("name", "echo", "arguments", Map.of()))
                .then().statusCode(400).body("error.code", equalTo(-32020));
        as(ALICE).header("MCP-Protocol-Version", "2099-01-01").header("Mcp-Method", "tools/list")
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/list", "params",
                        Map.of("_meta", Map.of("io.modelcontextprotocol/protocolVersion", "2099-01-01"))))
                .post("/mcp/servers/" + id).then().statusCode(400)
                .body("error.code", equalTo(-32022)).body("error.data.supported", hasItem(MODERN));
        assertEquals(before, callsBesidesDiscovery(), "refused requests never reach the upstream");
    }

    @Test
    void legacySdkClientReachesAModernServer() {
        String id = register(fake.url());
        JsonObject out = SdkClientThroughGatewayTest.sdk(ALICE, base + "mcp/servers/" + id, "tools");
        assertNull(out.getString("error"), out.encode());
        assertEquals("modern: through the gateway", out.getString("echo"));
    }

    @Test
    void modernClientReachesALegacyServer() {
        String id = register(everything.url());
        modern("/mcp/servers/" + id, "server/discover", null, Map.of()).then().statusCode(200)
                .body("result.supportedVersions", hasItem(MODERN))
                .body("result.resultType", equalTo("complete"));
        modern("/mcp/servers/" + id, "tools/call", "echo", Map.of("name", "echo", "arguments", Map.of("message", "old")))
                .then().log().ifValidationFails().statusCode(200).body("result.content[0].text", equalTo("Echo: old"));
    }

    @Test
    void longCallStaysAliveOnProgressAndRelaysIt() {
        String id = register(fake.url());
        var params = new java.util.HashMap<String, Object>(Map.of("name", "slow", "arguments", Map.of()));
        var metaWithToken = new java.util.HashMap<String, Object>(meta());
        metaWithToken.put("progressToken", "p-1");
        params.put("_meta", metaWithToken);
        String stream = as(ALICE).header("MCP-Protocol-Version", MODERN).header("Mcp-Method", "tools/call")
                .header("Mcp-Name", "slow").header("Accept", "application/json, text/event-stream")
                .body(Map.of("jsonrpc", "2.0", "id", 9, "method", "tools/call", "params", params))
                .post("/mcp/servers/" + id).then().statusCode(200)
                .header("X-Accel-Buffering", "no").extract().asString();
        assertEquals(3, stream.split("notifications/progress", -1).length - 1, stream);
        assertTrue(stream.contains("\"progressToken\":\"p-1\""), stream);
        assertTrue(stream.contains("modern: "), stream);
    }

    @Test
    void aggregateAnswersModernDiscoveryAndListen() {
        modern("/mcp", "server/discover", null, Map.of()).then().statusCode(200)
                .body("result.supportedVersions", hasItem(MODERN));
    }
}
