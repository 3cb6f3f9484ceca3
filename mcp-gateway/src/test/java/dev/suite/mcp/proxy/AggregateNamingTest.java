package dev.suite.mcp.proxy;

import dev.suite.mcp.NodeServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.mcp.TestUsers.DAVE;
import static dev.suite.mcp.TestUsers.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The aggregate's names: as the servers give them, prefixed only on collision, and routed back. */
@QuarkusTest
class AggregateNamingTest {

    static NodeServers.Running everything;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void start() {
        everything = NodeServers.everything("streamableHttp");
    }

    @AfterAll
    static void stop() {
        everything.close();
    }

    static Map<String, Object> rpc(int id, String method, Map<String, Object> params) {
        return Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params);
    }

    @Test
    void collidingNamesArePrefixedWithTheirServerAndCallsReachTheRightOne() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        as(DAVE).body(Map.of("name", "alpha" + suffix, "type", "http-stream", "url", everything.url()))
                .post("/api/mcp/servers").then().statusCode(201);
        as(DAVE).body(Map.of("name", "beta" + suffix, "type", "http-stream", "url", everything.url(),
                "tools_allow", List.of("echo"))).post("/api/mcp/servers").then().statusCode(201);
        String session = as(DAVE).header("Accept", "application/json, text/event-stream")
                .body(rpc(1, "initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "raw", "version", "1"))))
                .post("/mcp").then().statusCode(200)
                .body("result.protocolVersion", equalTo("2025-06-18"))
                .extract().header("Mcp-Session-Id");

        JsonPath tools = as(DAVE).header("Mcp-Session-Id", session).header("Accept", "application/json")
                .body(rpc(2, "tools/list", Map.of())).post("/mcp").then().statusCode(200).extract().jsonPath();
        List<String> names = tools.getList("result.tools.name");
        assertTrue(names.contains("alpha" + suffix + "__echo"), names.toString());
        assertTrue(names.contains("beta" + suffix + "__echo"), names.toString());
        assertTrue(names.contains("get-sum"), "a name only one server offers stays as it is: " + names);
        assertFalse(names.contains("echo"), names.toString());

        long called = okToolCalls();
        as(DAVE).header("Mcp-Session-Id", session).header("Accept", "application/json")
                .body(rpc(3, "tools/call", Map.of("name", "beta" + suffix + "__echo", "arguments", Map.of("message", "b"))))
                .post("/mcp").then().statusCode(200).body("result.content[0].text", equalTo("Echo: b"));
        assertEquals(called + 1, okToolCalls(), "a call routed through the aggregate is counted in mcp.tool.calls");
        as(DAVE).header("Mcp-Session-Id", session).header("Accept", "application/json")
                .body(rpc(4, "tools/call", Map.of("name", "no-such-tool", "arguments", Map.of())))
                .post("/mcp").then().statusCode(200).body("error.code", equalTo(-32602));
        as(DAVE).header("Accept", "application/json").body(rpc(5, "tools/list", Map.of()))
                .post("/mcp").then().statusCode(400);
    }

    private long okToolCalls() {
        Timer timer = registry.find("mcp.tool.calls").tags("transport", "http-stream", "outcome", "ok").timer();
        return timer == null ? 0 : timer.count();
    }
}
