package dev.suite.mcp.proxy;

import dev.suite.mcp.NodeServers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.CAROL;
import static dev.suite.mcp.TestUsers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official TypeScript SDK client talking to the gateway: one server through the proxy, and the aggregate. */
@QuarkusTest
class SdkClientThroughGatewayTest {

    @TestHTTPResource("/")
    URL base;

    static NodeServers.Running everything;

    @BeforeAll
    static void start() {
        everything = NodeServers.everything("streamableHttp");
    }

    @AfterAll
    static void stop() {
        everything.close();
    }

    static JsonObject sdk(String user, String url, String action, String... more) {
        String[] args = new String[2 + more.length];
        args[0] = url;
        args[1] = action;
        System.arraycopy(more, 0, args, 2, more.length);
        String out = NodeServers.runScript("sdk-client.mjs", Map.of("MCP_TOKEN", user + "-key"), Duration.ofMinutes(2),
                args);
        String last = out.strip().lines().reduce((a, b) -> b).orElse("{}");
        return new JsonObject(last);
    }

    static String register(String user, Map<String, Object> body) {
        return as(user).body(body).post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
    }

    static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void sdkClientUsesOneServerThroughTheProxy() {
        String id = register(ALICE, Map.of("name", name("ev"), "type", "http-stream", "url", everything.url()));
        JsonObject out = sdk(ALICE, base + "mcp/servers/" + id, "tools");
        assertNull(out.getString("error"), out.encode());
        assertTrue(out.getJsonArray("tools").contains("echo"), out.encode());
        assertEquals("Echo: through the gateway", out.getString("echo"));
        String session = out.getString("session_id");
        assertNotNull(session);
        assertTrue(session.startsWith("v1:"), "the upstream session id is sealed, not exposed: " + session);
    }

    @Test
    void progressNotificationsPassThrough() {
        String id = register(ALICE, Map.of("name", name("ev"), "type", "http-stream", "url", everything.url()));
        JsonObject out = sdk(ALICE, base + "mcp/servers/" + id, "progress");
        assertNull(out.getString("error"), out.encode());
        assertTrue(out.getInteger("progress") >= 2, out.encode());
    }

    @Test
    void sdkClientSeesTheUnionOfItsServers() {
        register(CAROL, Map.of("name", name("one"), "type", "http-stream", "url", everything.url()));
        register(CAROL, Map.of("name", name("two"), "type", "stdio", "command", "node",
                "args", List.of(NodeServers.script("@modelcontextprotocol/server-memory", "dist/index.js")),
                "env", Map.of("MEMORY_FILE_PATH", "/tmp/suite-mcp-agg-" + UUID.randomUUID() + ".jsonl")));
        JsonObject out = sdk(CAROL, base + "mcp", "tools");
        assertNull(out.getString("error"), out.encode());
        var tools = out.getJsonArray("tools");
        assertTrue(tools.contains("echo"), out.encode());
        assertTrue(tools.contains("read_graph"), out.encode());
        assertEquals("Echo: through the gateway", out.getString("echo"));
    }

    @Test
    void aSessionOfAnotherUserIsNotFound() {
        String id = register(ALICE, Map.of("name", name("ev"), "type", "http-stream", "url", everything.url()));
        JsonObject started = sdk(ALICE, base + "mcp/servers/" + id, "start");
        String session = started.getString("session_id");
        as(CAROL).header("Mcp-Session-Id", session).header("Accept", "application/json, text/event-stream")
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/list"))
                .post("/mcp/servers/" + id).then().statusCode(404);
        as(ALICE).header("Mcp-Session-Id", session + "x").header("Accept", "application/json, text/event-stream")
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/list"))
                .post("/mcp/servers/" + id).then().statusCode(404);
    }
}
