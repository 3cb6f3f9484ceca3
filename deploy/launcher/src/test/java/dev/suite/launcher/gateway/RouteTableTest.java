package dev.suite.launcher.gateway;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouteTableTest {

    private static final RouteTable ROUTES = RouteTable.load();

    @Test
    void everyPrefixOfTheDesignRoutesToItsService() {
        Map<String, String> design = Map.ofEntries(
                Map.entry("/api/llm/configs", "llm-service"), Map.entry("/v1/chat/completions", "llm-service"),
                Map.entry("/v1/models", "llm-service"), Map.entry("/v1/messages", "llm-service"),
                Map.entry("/v1/responses/resp_1", "llm-service"), Map.entry("/v1/embeddings", "llm-service"),
                Map.entry("/api/llm/groups/x", "llm-service"),
                Map.entry("/api/mcp/servers/x/tools/echo/call", "mcp-gateway"), Map.entry("/mcp", "mcp-gateway"),
                Map.entry("/mcp/servers/x", "mcp-gateway"), Map.entry("/ws/feedback", "mcp-gateway"),
                Map.entry("/ws/toolbar", "mcp-gateway"), Map.entry("/feedback/", "mcp-gateway"),
                Map.entry("/.well-known/oauth-protected-resource/mcp", "mcp-gateway"),
                Map.entry("/api/sessions/x/messages", "session-service"), Map.entry("/api/messages/x", "session-service"),
                Map.entry("/api/roundtables", "session-service"), Map.entry("/ws/sessions", "session-service"),
                Map.entry("/api/workflows/x/run", "workflow-service"), Map.entry("/api/executions", "workflow-service"),
                Map.entry("/api/nodes", "workflow-service"), Map.entry("/ws/workflows", "workflow-service"),
                Map.entry("/api/v1/tasks/x", "task-service"), Map.entry("/api/v1/process/image", "task-service"),
                Map.entry("/api/v1/files/x", "task-service"), Map.entry("/api/v1/stats", "task-service"));
        design.forEach((path, service) ->
                assertEquals(Optional.of(service), ROUTES.match(path).map(RouteTable.Route::service), path));
    }

    @Test
    void aPrefixMatchesWholeSegmentsOnly() {
        assertEquals(Optional.empty(), ROUTES.match("/mcpx"));
        assertEquals(Optional.empty(), ROUTES.match("/api/llmx/configs"));
        assertEquals(Optional.empty(), ROUTES.match("/"));
    }

    @Test
    void theLongestPrefixWins() {
        RouteTable table = RouteTable.parse("/api a\n/api/special b\n");
        assertEquals("b", table.match("/api/special/x").orElseThrow().service());
        assertEquals("a", table.match("/api/other").orElseThrow().service());
    }

    @Test
    void malformedLinesAreRefusedWithTheirNumber() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> RouteTable.parse("# comment\n\n/api/ x\n"));
        assertEquals(true, error.getMessage().startsWith("routes.txt line 3"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RouteTable.parse("api x\n"));
        assertThrows(IllegalArgumentException.class, () -> RouteTable.parse("/api\n"));
    }
}
