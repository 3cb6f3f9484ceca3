package dev.suite.mcp.tracing;

import dev.suite.commons.testing.RecordedSpans;
import dev.suite.mcp.NodeServers;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tool call is a client span in the caller's trace naming server, tool, era and outcome — never arguments. */
@QuarkusTest
class ToolCallTracingTest {

    private static NodeServers.Running everything;

    @BeforeAll
    static void startServer() {
        everything = NodeServers.everything("streamableHttp");
    }

    @AfterAll
    static void stopServer() {
        everything.close();
    }

    @Test
    void aToolCallIsASpanInTheCallersTrace() {
        String serverId = as(ALICE).body(Map.of("name", "traced-" + UUID.randomUUID().toString().substring(0, 8),
                        "type", "http-stream", "url", everything.url()))
                .post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
        String traceId = "5b8efff798038103d269b633813fc60c";
        as(ALICE).header("traceparent", "00-" + traceId + "-eee19b7ec3c1b174-01").body(Map.of("message", "a secret argument"))
                .post("/api/mcp/servers/" + serverId + "/tools/echo/call").then().statusCode(200);

        SpanData call = RecordedSpans.awaitSpan(s -> s.getTraceId().equals(traceId) && s.getName().equals("tools/call echo"));
        SpanData server = RecordedSpans.awaitSpan(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.SERVER);
        assertEquals(SpanKind.CLIENT, call.getKind());
        assertEquals(server.getSpanId(), call.getParentSpanId(), "the call is a child of the request that made it");
        assertEquals("echo", call.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name")));
        assertEquals(serverId, call.getAttributes().get(AttributeKey.stringKey("suite.mcp.server_id")));
        // The pinned server-everything speaks a dated protocol version: the legacy era.
        assertEquals("legacy", call.getAttributes().get(AttributeKey.stringKey("suite.mcp.era")));
        assertTrue(call.getAttributes().get(AttributeKey.stringKey("mcp.protocol.version")).matches("\\d{4}-\\d{2}-\\d{2}"));
        assertEquals("ok", call.getAttributes().get(AttributeKey.stringKey("suite.mcp.outcome")));
        assertEquals(StatusCode.UNSET, call.getStatus().getStatusCode());
        call.getAttributes().forEach((key, value) -> assertEquals(-1, value.toString().indexOf("a secret argument"),
                "no argument in " + key));
    }

    @Test
    void aCallTheToolRefusesIsAnError() {
        String serverId = as(ALICE).body(Map.of("name", "refusing-" + UUID.randomUUID().toString().substring(0, 8),
                        "type", "http-stream", "url", everything.url()))
                .post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
        String traceId = "6c9f0008a9149214e37ac744924fd71d";
        as(ALICE).header("traceparent", "00-" + traceId + "-eee19b7ec3c1b174-01").body(Map.of("a", "not a number"))
                .post("/api/mcp/servers/" + serverId + "/tools/get-sum/call");

        SpanData call = RecordedSpans.awaitSpan(s -> s.getTraceId().equals(traceId) && s.getName().equals("tools/call get-sum"));
        String outcome = call.getAttributes().get(AttributeKey.stringKey("suite.mcp.outcome"));
        assertTrue(outcome.equals("error") || outcome.equals("tool_error"), outcome);
        assertEquals(StatusCode.ERROR, call.getStatus().getStatusCode());
    }
}
