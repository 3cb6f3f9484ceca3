package dev.suite.task.tracing;

import dev.suite.commons.testing.RecordedSpans;
import dev.suite.task.TestDb;
import dev.suite.task.TestUsers;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static dev.suite.task.Tasks.awaitState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A task continues the trace of the request that created it, one span per attempt. */
@QuarkusTest
class TaskTracingTest {

    private static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("suite.task.id");
    private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("suite.task.attempt");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("suite.task.outcome");

    @Test
    void eachAttemptIsASpanInTheTraceOfTheCreatingRequest() {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        String taskId = TestUsers.as("alice").header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                .body(Map.of("type", "flaky", "params", Map.of("fail_times", 1), "max_retries", 2))
                .post("/api/v1/tasks").then().statusCode(201).extract().path("task_id");
        awaitState("alice", taskId, "COMPLETED");

        SpanData create = RecordedSpans.awaitSpan(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.SERVER);
        assertEquals("b7ad6b7169203331", create.getParentSpanId(), "the service continues the caller's trace");
        RecordedSpans.awaitSpan(s -> taskId.equals(s.getAttributes().get(TASK_ID)) && Long.valueOf(2).equals(s.getAttributes().get(ATTEMPT)));
        List<SpanData> attempts = RecordedSpans.inTrace(traceId).stream()
                .filter(s -> taskId.equals(s.getAttributes().get(TASK_ID)))
                .sorted(Comparator.comparing(s -> s.getAttributes().get(ATTEMPT))).toList();
        assertEquals(2, attempts.size(), "a span per attempt: " + attempts);
        for (SpanData attempt : attempts) {
            assertEquals("task flaky", attempt.getName());
            assertEquals(SpanKind.CONSUMER, attempt.getKind());
            assertEquals(create.getSpanId(), attempt.getParentSpanId(), "the attempt is a child of the create");
        }
        assertEquals("RETRY_WAIT", attempts.get(0).getAttributes().get(OUTCOME));
        assertEquals(StatusCode.ERROR, attempts.get(0).getStatus().getStatusCode());
        assertTrue(attempts.get(0).getStatus().getDescription().contains("flaky failure on attempt 1"));
        assertEquals("COMPLETED", attempts.get(1).getAttributes().get(OUTCOME));
        assertEquals(StatusCode.UNSET, attempts.get(1).getStatus().getStatusCode());
    }

    @Test
    void theTaskRowKeepsTheTraceForWhicheverReplicaRunsIt() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String taskId = TestUsers.as("alice").header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body(Map.of("type", "noop")).post("/api/v1/tasks").then().statusCode(201).extract().path("task_id");
        String stored = (String) TestDb.query("SELECT trace_parent FROM task WHERE task_id = ?", taskId).get(0).get("trace_parent");
        assertTrue(stored.startsWith("00-" + traceId + "-"), stored);
        awaitState("alice", taskId, "COMPLETED");
    }
}
