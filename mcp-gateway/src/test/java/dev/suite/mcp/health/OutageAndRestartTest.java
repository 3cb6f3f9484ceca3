package dev.suite.mcp.health;

import dev.suite.mcp.NodeServers;
import dev.suite.mcp.TestDb;
import dev.suite.mcp.registry.McpServerEvents;
import dev.suite.mcp.upstream.StdioUpstream;
import dev.suite.mcp.upstream.UpstreamPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An upstream that goes away and comes back, and a stdio server that crashes or is deleted. */
@QuarkusTest
class OutageAndRestartTest {

    @Inject
    UpstreamPool pool;
    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    McpServerEvents events;
    @Inject
    MeterRegistry registry;

    static String register(Map<String, Object> body) {
        return as(ALICE).body(body).post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
    }

    static String name() {
        return "out-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Tool calls to Streamable HTTP servers with this outcome so far (mcp.tool.calls). */
    long toolCalls(String outcome) {
        Timer timer = registry.find("mcp.tool.calls").tags("transport", "http-stream", "outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    /** Enabled servers whose last check left them unhealthy, suite-wide (the gauge mcp.servers). */
    double unhealthyServers() {
        Gauge gauge = registry.find("mcp.servers").tag("health", "unhealthy").gauge();
        return gauge == null ? -1 : gauge.value();
    }

    static String status(String id) {
        var rows = TestDb.query("SELECT status FROM mcp_server_health WHERE server_id = ?", id);
        return rows.isEmpty() ? null : (String) rows.get(0).get("status");
    }

    @Test
    void upstreamDownGives502sIsCountedTurnsUnhealthyAndRecovers() {
        List<String> heard = new CopyOnWriteArrayList<>();
        var subscriber = redis.pubsub(String.class).subscribe(events.channel(), heard::add)
                .await().atMost(Duration.ofSeconds(10));
        int port = NodeServers.freePort();
        NodeServers.Running server = NodeServers.everything("streamableHttp", port);
        String id = register(Map.of("name", name(), "type", "http-stream", "url", server.url()));
        try {
            as(ALICE).get("/api/mcp/servers/" + id + "/health").then().statusCode(200)
                    .body("status", equalTo("healthy")).body("reachable", equalTo(true))
                    .body("era", equalTo("legacy")).body("protocol_version", equalTo("2025-11-25"));
            long okBefore = toolCalls("ok");
            as(ALICE).body(Map.of("message", "up")).post("/api/mcp/servers/" + id + "/tools/echo/call")
                    .then().statusCode(200);
            assertEquals(okBefore + 1, toolCalls("ok"), "the answered call is counted ok");

            server.close();
            long failedBefore = toolCalls("failed");
            as(ALICE).body(Map.of("message", "down")).post("/api/mcp/servers/" + id + "/tools/echo/call")
                    .then().statusCode(502).contentType("application/problem+json");
            assertEquals(failedBefore + 1, toolCalls("failed"), "the call nobody answered is counted failed");
            as(ALICE).header("Accept", "application/json, text/event-stream")
                    .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params",
                            Map.of("protocolVersion", "2025-11-25", "capabilities", Map.of(),
                                    "clientInfo", Map.of("name", "t", "version", "1"))))
                    .post("/mcp/servers/" + id).then().statusCode(502).contentType("application/problem+json");
            await().atMost(Duration.ofSeconds(30)).until(() -> "unhealthy".equals(status(id)));
            // Counted after the next round of checks (every second in tests).
            await().atMost(Duration.ofSeconds(10)).until(() -> unhealthyServers() >= 1);
            as(ALICE).get("/mcp/health?server_id=" + id).then().statusCode(200)
                    .body("status", equalTo("unhealthy")).body("reachable", equalTo(false));
            await().atMost(Duration.ofSeconds(10)).until(() -> heard.stream().anyMatch(e -> e.contains(
                    "\"mcp.server.health\"") && e.contains(id) && e.contains("\"status\":\"unhealthy\"")));

            server = NodeServers.everything("streamableHttp", port);
            await().atMost(Duration.ofSeconds(30)).until(() -> "healthy".equals(status(id)));
            as(ALICE).body(Map.of("message", "back")).post("/api/mcp/servers/" + id + "/tools/echo/call")
                    .then().statusCode(200).body("content[0].text", equalTo("Echo: back"));
        } finally {
            server.close();
            subscriber.unsubscribe().await().atMost(Duration.ofSeconds(10));
        }
    }

    @Test
    void crashedStdioServerIsRestartedAndDeletedOneIsStopped() {
        String id = register(Map.of("name", name(), "type", "stdio", "command", "node",
                "args", List.of(NodeServers.script("@modelcontextprotocol/server-memory", "dist/index.js")),
                "env", Map.of("MEMORY_FILE_PATH", "/tmp/suite-mcp-crash-" + UUID.randomUUID() + ".jsonl")));
        as(ALICE).get("/api/mcp/servers/" + id + "/tools").then().statusCode(200);
        StdioUpstream upstream = (StdioUpstream) pool.peek(id);
        long first = upstream.pid();
        assertTrue(first > 0);

        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> upstream.restarts() >= 1 && upstream.pid() > 0
                && upstream.pid() != first);
        as(ALICE).body(Map.of()).post("/api/mcp/servers/" + id + "/tools/read_graph/call").then().statusCode(200);

        long second = upstream.pid();
        as(ALICE).delete("/api/mcp/servers/" + id).then().statusCode(204);
        await().atMost(Duration.ofSeconds(15)).until(() -> ProcessHandle.of(second).map(p -> !p.isAlive()).orElse(true));
        assertEquals(-1, upstream.pid());
    }
}
