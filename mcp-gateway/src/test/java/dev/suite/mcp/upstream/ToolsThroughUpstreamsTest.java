package dev.suite.mcp.upstream;

import dev.suite.mcp.NodeServers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.BOB;
import static dev.suite.mcp.TestUsers.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST tools routes against real npm MCP servers over every transport the gateway speaks. */
@QuarkusTest
class ToolsThroughUpstreamsTest {

    static NodeServers.Running streamable;
    static NodeServers.Running sse;

    @BeforeAll
    static void startServers() {
        streamable = NodeServers.everything("streamableHttp");
        sse = NodeServers.everything("sse");
    }

    @AfterAll
    static void stopServers() {
        streamable.close();
        sse.close();
    }

    static String register(String user, Map<String, Object> body) {
        return as(user).body(body).post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
    }

    static String name() {
        return "srv-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void streamableHttpServerListsAndCallsTools() {
        String id = register(ALICE, Map.of("name", name(), "type", "http-stream", "url", streamable.url()));
        as(ALICE).get("/api/mcp/servers/" + id + "/tools").then().statusCode(200)
                .body("server_id", equalTo(id))
                .body("tools.name", hasItems("echo", "get-sum", "get-structured-content"));
        as(ALICE).body(Map.of("message", "hello gateway")).post("/api/mcp/servers/" + id + "/tools/echo/call")
                .then().statusCode(200)
                .body("content[0].type", equalTo("text"))
                .body("content[0].text", equalTo("Echo: hello gateway"));
    }

    @Test
    void structuredContentIsKept() {
        String id = register(ALICE, Map.of("name", name(), "type", "http-stream", "url", streamable.url()));
        JsonPath result = as(ALICE).body(Map.of("location", "New York"))
                .post("/api/mcp/servers/" + id + "/tools/get-structured-content/call")
                .then().statusCode(200).extract().jsonPath();
        assertTrue(result.getMap("structuredContent").containsKey("temperature"), result.prettify());
    }

    @Test
    void legacyHttpSseServerWorksToo() {
        String id = register(ALICE, Map.of("name", name(), "type", "http-post", "url", sse.url()));
        as(ALICE).body(Map.of("a", 2, "b", 40)).post("/api/mcp/servers/" + id + "/tools/get-sum/call")
                .then().statusCode(200).body("content[0].text", equalTo("The sum of 2 and 40 is 42."));
    }

    @Test
    void stdioServerIsStartedAndCalled() {
        String id = register(ALICE, Map.of("name", name(), "type", "stdio", "command", "node",
                "args", List.of(NodeServers.script("@modelcontextprotocol/server-memory", "dist/index.js")),
                "env", Map.of("MEMORY_FILE_PATH", "/tmp/suite-mcp-test-memory-" + UUID.randomUUID() + ".jsonl")));
        as(ALICE).get("/api/mcp/servers/" + id + "/tools").then().statusCode(200)
                .body("tools.name", hasItems("create_entities", "read_graph"));
        as(ALICE).body(Map.of("entities", List.of(Map.of("name", "gateway", "entityType", "service",
                        "observations", List.of("speaks MCP")))))
                .post("/api/mcp/servers/" + id + "/tools/create_entities/call").then().statusCode(200);
        String graph = as(ALICE).body(Map.of()).post("/api/mcp/servers/" + id + "/tools/read_graph/call")
                .then().statusCode(200).extract().path("content[0].text");
        assertTrue(graph.contains("speaks MCP"), graph);
    }

    @Test
    void denyListHidesAndRefusesTools() {
        String id = register(ALICE, Map.of("name", name(), "type", "http-stream", "url", streamable.url(),
                "tools_deny", List.of("get-*")));
        as(ALICE).get("/api/mcp/servers/" + id + "/tools").then().statusCode(200)
                .body("tools.name", hasItem("echo"))
                .body("tools.name", not(hasItem("get-sum")));
        as(ALICE).body(Map.of("a", 1, "b", 2)).post("/api/mcp/servers/" + id + "/tools/get-sum/call")
                .then().statusCode(404);
    }

    @Test
    void anotherUserCannotUseTheServer() {
        String id = register(ALICE, Map.of("name", name(), "type", "http-stream", "url", streamable.url()));
        as(BOB).get("/api/mcp/servers/" + id + "/tools").then().statusCode(404);
        as(BOB).body(Map.of("message", "x")).post("/api/mcp/servers/" + id + "/tools/echo/call").then().statusCode(404);
    }

    @Test
    void unreachableServerIsA502Problem() {
        int closed = NodeServers.freePort();
        String id = register(ALICE, Map.of("name", name(), "type", "http-stream",
                "url", "http://127.0.0.1:" + closed + "/mcp"));
        as(ALICE).get("/api/mcp/servers/" + id + "/tools").then().statusCode(502)
                .contentType("application/problem+json");
    }

    @Test
    void invalidArgumentsAreTheCallersProblem() {
        String id = register(ALICE, Map.of("name", name(), "type", "http-stream", "url", streamable.url()));
        int status = as(ALICE).body(Map.of("a", "not a number")).post("/api/mcp/servers/" + id + "/tools/get-sum/call")
                .then().extract().statusCode();
        // Servers answer bad arguments either as a JSON-RPC error (400 here) or as a tool result with isError.
        assertTrue(status == 400 || status == 200, "status " + status);
        as(ALICE).body(Map.of()).post("/api/mcp/servers/" + id + "/tools/no-such-tool/call").then().statusCode(404);
    }
}
