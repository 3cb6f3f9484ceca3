package dev.suite.workflow.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventPublisher;
import dev.suite.commons.redis.RedisNames;
import dev.suite.commons.testing.RecordedSpans;
import dev.suite.workflow.Executions;
import dev.suite.workflow.Graphs;
import dev.suite.workflow.TestDb;
import dev.suite.workflow.Upstreams;
import dev.suite.workflow.realtime.ExecutionEvents;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static dev.suite.workflow.Executions.awaitEnd;
import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.Executions.node;
import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An execution continues the trace of what created it — a request, a webhook call, an event — on
 * whichever replica runs it, resumed or not: one span for its run, one per node under it, and the
 * calls its nodes make to the suite's services under theirs. Sites a user names are not told.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class WorkflowTracingTest {

    private static final AttributeKey<String> EXECUTION_ID = AttributeKey.stringKey("suite.execution.id");
    private static final AttributeKey<String> WORKFLOW_ID = AttributeKey.stringKey("suite.workflow.id");
    private static final AttributeKey<Boolean> RESUMED = AttributeKey.booleanKey("suite.execution.resumed");
    private static final AttributeKey<String> EXECUTION_STATUS = AttributeKey.stringKey("suite.execution.status");
    private static final AttributeKey<String> NODE_ID = AttributeKey.stringKey("suite.node.id");
    private static final AttributeKey<String> NODE_TYPE = AttributeKey.stringKey("suite.node.type");
    private static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("suite.node.attempts");
    private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("suite.node.attempt");
    private static final AttributeKey<String> ERROR = AttributeKey.stringKey("suite.node.error");
    private static final AttributeKey<String> NODE_STATUS = AttributeKey.stringKey("suite.node.status");
    private static final AttributeKey<Boolean> CACHED = AttributeKey.booleanKey("suite.node.cached");

    private static Vertx vertx;
    private static HttpServer site;
    /** The traceparent header of each call the site got ("none" without one). */
    private static final Queue<String> SITE_TRACEPARENTS = new ConcurrentLinkedQueue<>();

    @Inject
    ExecutionEvents events;
    @Inject
    EventPublisher publisher;
    @Inject
    RedisNames names;
    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;

    @BeforeAll
    static void startSite() throws Exception {
        vertx = Vertx.vertx();
        site = vertx.createHttpServer().requestHandler(request -> {
            String traceparent = request.getHeader("traceparent");
            SITE_TRACEPARENTS.add(traceparent == null ? "none" : traceparent);
            request.response().putHeader("Content-Type", "application/json").end("{\"ok\":true}");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopSite() {
        vertx.close();
    }

    private static String traceparent(String traceId, String spanId) {
        return "00-" + traceId + "-" + spanId + "-01";
    }

    private static String newTraceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static String newSpanId() {
        return newTraceId().substring(0, 16);
    }

    private static String submitTraced(String traceId, String parentSpanId, JsonObject request) {
        return as(ALICE).header("traceparent", traceparent(traceId, parentSpanId)).body(request.encode())
                .post("/api/executions").then().statusCode(202).extract().path("execution_id");
    }

    private static SpanData executionSpan(String executionId) {
        return RecordedSpans.awaitSpan(s -> s.getKind() == SpanKind.CONSUMER && executionId.equals(s.getAttributes().get(EXECUTION_ID)));
    }

    /** The span of a node of a run, once it ended. */
    private static SpanData nodeSpan(SpanData run, String nodeId) {
        return RecordedSpans.awaitSpan(s -> s.getTraceId().equals(run.getTraceId()) && s.getKind() == SpanKind.INTERNAL
                && nodeId.equals(s.getAttributes().get(NODE_ID)));
    }

    private static String storedTraceParent(String executionId) {
        return (String) TestDb.query("SELECT trace_parent FROM execution WHERE execution_id = ?", executionId).get(0).get("trace_parent");
    }

    /** The span a traceparent header names: the one it was sent from. */
    private static SpanData sentFrom(String traceparent) {
        String[] parts = traceparent.split("-");
        return RecordedSpans.awaitSpan(s -> s.getTraceId().equals(parts[1]) && s.getSpanId().equals(parts[2]));
    }

    /** That a call's traceparent names a client span of this node: in the execution's trace, the node's span its parent. */
    private static void assertSentUnder(SpanData node, String traceparent) {
        assertTrue(traceparent.startsWith("00-" + node.getTraceId() + "-"), traceparent + " is not in " + node.getTraceId());
        SpanData sender = sentFrom(traceparent);
        assertEquals(SpanKind.CLIENT, sender.getKind(), sender.toString());
        assertEquals(node.getSpanId(), sender.getParentSpanId(), "the call is a child of the node's span: " + sender);
    }

    @Test
    void anExecutionIsASpanInTheSubmittersTraceWithASpanPerNode() {
        String traceId = newTraceId();
        String callerSpan = newSpanId();
        String greeter = as(ALICE).body(Graphs.create().input("who", "string", true)
                        .node("in", "interface_input", config("name", "who"))
                        .node("greet", "text_template", config("template", "Hi {{text}}"))
                        .node("out", "interface_output", config("name", "greeting"))
                        .edge("in", "value", "greet", "text").edge("greet", "text", "out", "value")
                        .json().put("name", "traced-greeter-" + UUID.randomUUID()).encode())
                .post("/api/workflows").then().statusCode(201).extract().path("workflow_id");
        Graphs graph = Graphs.create()
                .node("first", "noop", null, new JsonObject().put("value", "v"))
                .node("flaky", "test_flaky", config("fail_times", 1, "retries", 1, "retry_backoff_ms", 1))
                .node("sub", "sub_workflow", config("workflow_id", greeter), new JsonObject().put("inputs", new JsonObject().put("who", "you")))
                .node("broken", "test_flaky", config("fail_times", 5, "permanent", true))
                .edge("first", "value", "flaky", "value");
        String id = submitTraced(traceId, callerSpan, graph.run(null));
        JsonPath done = awaitEnd(ALICE, id);
        assertEquals("failed", done.getString("status"), done.prettify());

        SpanData submit = RecordedSpans.awaitSpan(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.SERVER
                && s.getName().contains("/api/executions"));
        assertEquals(callerSpan, submit.getParentSpanId(), "the service continues the caller's trace");
        assertEquals(traceparent(traceId, submit.getSpanId()), storedTraceParent(id), "the execution keeps the submit's trace");

        SpanData run = executionSpan(id);
        assertEquals("execution inline", run.getName());
        assertEquals(traceId, run.getTraceId());
        assertEquals(submit.getSpanId(), run.getParentSpanId(), "the run is a child of the submit");
        assertEquals(false, run.getAttributes().get(RESUMED));
        assertNull(run.getAttributes().get(WORKFLOW_ID), "an inline graph has no workflow");
        assertEquals("failed", run.getAttributes().get(EXECUTION_STATUS));
        assertEquals(StatusCode.ERROR, run.getStatus().getStatusCode());
        assertTrue(run.getStatus().getDescription().contains("node broken failed"), run.getStatus().getDescription());

        for (String nodeId : List.of("first", "flaky", "sub", "broken")) {
            SpanData node = nodeSpan(run, nodeId);
            assertEquals(run.getSpanId(), node.getParentSpanId(), nodeId + " is a child of the run");
            assertEquals(SpanKind.INTERNAL, node.getKind());
            assertEquals("node " + node.getAttributes().get(NODE_TYPE), node.getName());
        }
        assertEquals(1, RecordedSpans.inTrace(traceId).stream().filter(s -> "flaky".equals(s.getAttributes().get(NODE_ID))).count(),
                "a node retried is one span");
        SpanData flaky = nodeSpan(run, "flaky");
        assertEquals(2L, flaky.getAttributes().get(ATTEMPTS));
        assertEquals("completed", flaky.getAttributes().get(NODE_STATUS));
        assertEquals(StatusCode.UNSET, flaky.getStatus().getStatusCode());
        List<EventData> retries = flaky.getEvents().stream().filter(e -> e.getName().equals("retry")).toList();
        assertEquals(1, retries.size(), "an event per retried attempt: " + flaky.getEvents());
        assertEquals(1L, retries.get(0).getAttributes().get(ATTEMPT));
        assertEquals("planned failure of attempt 1", retries.get(0).getAttributes().get(ERROR));

        SpanData broken = nodeSpan(run, "broken");
        assertEquals("failed", broken.getAttributes().get(NODE_STATUS));
        assertEquals(StatusCode.ERROR, broken.getStatus().getStatusCode());
        assertEquals("planned failure of attempt 1", broken.getStatus().getDescription());

        // A sub-workflow's nodes are children of the node that runs it.
        SpanData sub = nodeSpan(run, "sub");
        SpanData greet = nodeSpan(run, "greet");
        assertEquals(sub.getSpanId(), greet.getParentSpanId());
        assertEquals("node text_template", greet.getName());

        // What the run published is in its trace: each node's events in the node's span, the run's in the run's.
        List<JsonNode> published = await().atMost(Duration.ofSeconds(10)).until(() -> events.after(id, null, 1000)
                .await().atMost(Duration.ofSeconds(5)).stream().map(e -> read(e.json())).toList(),
                all -> all.stream().anyMatch(e -> e.path("type").asText().equals("workflow.execution.error")));
        for (JsonNode event : published) {
            String type = event.path("type").asText();
            String sentIn = event.path("traceparent").asText(null);
            assertNotNull(sentIn, "traced: " + event);
            assertTrue(sentIn.startsWith("00-" + traceId + "-"), event.toString());
            String nodeId = event.path("data").path("node_id").asText(null);
            if (nodeId != null && List.of("workflow.node.executing", "workflow.node.complete", "workflow.node.error").contains(type)) {
                assertEquals(traceparent(traceId, nodeSpan(run, nodeId).getSpanId()), sentIn, event.toString());
            } else if (type.equals("workflow.execution.error")) {
                assertEquals(traceparent(traceId, run.getSpanId()), sentIn, event.toString());
            }
        }
    }

    @Test
    void callsToTheSuitesServicesContinueTheNodesSpanAndSitesAreNotTold() {
        String traceId = newTraceId();
        String prompt = "trace me " + UUID.randomUUID();
        int llmCallsBefore = Upstreams.llm.requests.size();
        SITE_TRACEPARENTS.clear();
        Graphs graph = Graphs.create()
                .node("llm", "llm_chat", config("model", "cfg-echo"), new JsonObject().put("prompt", prompt))
                .node("tool", "mcp_tool", config("server_id", "srv-1", "tool", "echo", "arguments", new JsonObject().put("message", "hi")))
                .node("media", "media_task", config("kind", "image", "params", new JsonObject().put("operation", "thumbnail"),
                        "poll_interval_ms", 50), new JsonObject().put("file_ids", new JsonArray().add("f-1")))
                .node("site", "http_request", config("url", "http://127.0.0.1:" + site.actualPort() + "/hook"));
        String id = submitTraced(traceId, newSpanId(), graph.run(null));
        JsonPath done = awaitEnd(ALICE, id);
        assertEquals("completed", done.getString("status"), done.prettify());
        SpanData run = executionSpan(id);

        // llm-service (a Vert.x client of commons): the request it got names the node's span.
        int index = -1;
        for (int i = llmCallsBefore; i < Upstreams.llm.requests.size(); i++) {
            JsonArray messages = Upstreams.llm.requests.get(i).getJsonArray("messages");
            if (prompt.equals(messages.getJsonObject(messages.size() - 1).getString("content"))) {
                index = i;
            }
        }
        assertTrue(index >= 0, "llm-service was called");
        assertSentUnder(nodeSpan(run, "llm"), Upstreams.llm.traceparents.get(index));

        // mcp-gateway and task-service (REST clients), the task polled until it ended: each call.
        String toolCall = Upstreams.mcp.traceparents.stream().filter(sent -> sent.startsWith("00-" + traceId + "-")).findFirst()
                .orElseThrow(() -> new AssertionError("mcp-gateway got no call in the trace: " + Upstreams.mcp.traceparents));
        assertSentUnder(nodeSpan(run, "tool"), toolCall);
        String taskId = ((Map<?, ?>) ((Map<?, ?>) node(done, "media").get("outputs")).get("task")).get("task_id").toString();
        List<String> taskCalls = Upstreams.tasks.traceparents.get(taskId);
        assertTrue(taskCalls.size() >= 3, "created, then polled: " + taskCalls);
        SpanData media = nodeSpan(run, "media");
        taskCalls.forEach(sent -> assertSentUnder(media, sent));

        // A site the user named gets no trace context of ours.
        SpanData siteNode = nodeSpan(run, "site");
        assertEquals(run.getSpanId(), siteNode.getParentSpanId());
        assertEquals(List.of("none"), List.copyOf(SITE_TRACEPARENTS));
    }

    @Test
    void aRunResumedAfterALostLeaseStaysInTheTraceThatCreatedTheExecution() {
        String traceId = newTraceId();
        String creator = newSpanId();
        String graph = Graphs.create()
                .node("first", "noop", null, new JsonObject().put("value", "kept"))
                .node("second", "text_template", config("template", "after {{text}}"))
                .edge("first", "value", "second", "text").output("text", "second", "text").json().encode();
        // As a replica that died mid-run leaves it (see ReconcilerTest): a node finished, its lease expired.
        String id = UUID.randomUUID().toString();
        Timestamp started = Timestamp.valueOf(LocalDateTime.ofInstant(Instant.now().minusSeconds(20), ZoneOffset.UTC));
        TestDb.update("INSERT INTO execution (execution_id, owner_id, status, priority, graph, inputs, run_token, replica_id, "
                        + "created_at, started_at, trace_parent) VALUES (?,?,'staged',5,?,'{}','dead-token','ghost-replica',?,?,?)",
                id, ALICE, graph, started, started, traceparent(traceId, creator));
        TestDb.update("INSERT INTO node_run (execution_id, node_id, status, attempts, outputs, started_at, finished_at) "
                + "VALUES (?,'first','completed',1,'{\"value\":\"kept\"}',?,?)", id, started, started);
        redis.sortedSet(String.class).zadd(names.key("workflow", "running"), System.currentTimeMillis() - 1_000, id);
        TestDb.update("UPDATE execution SET status = 'running' WHERE execution_id = ?", id);

        JsonPath done = awaitEnd(ALICE, id);
        assertEquals("completed", done.getString("status"));
        assertEquals(1, done.getInt("resumes"));
        SpanData run = executionSpan(id);
        assertEquals(traceId, run.getTraceId());
        assertEquals(creator, run.getParentSpanId(), "the resumed run is a child of what created the execution");
        assertEquals(true, run.getAttributes().get(RESUMED));
        assertEquals("completed", run.getAttributes().get(EXECUTION_STATUS));
        assertEquals(run.getSpanId(), nodeSpan(run, "second").getParentSpanId());
        assertTrue(RecordedSpans.inTrace(traceId).stream().noneMatch(s -> "first".equals(s.getAttributes().get(NODE_ID))),
                "a node kept from the earlier run is not run, nor traced, again");
    }

    @Test
    void anEventTriggeredRunContinuesTheEventsTrace() {
        String workflow = as(ALICE).body(Graphs.create().input("event", "object", true)
                        .node("in", "interface_input", config("name", "event"))
                        .node("out", "interface_output", config("name", "event"))
                        .edge("in", "value", "out", "value")
                        .json().put("name", "traced-on-task-" + UUID.randomUUID()).encode())
                .post("/api/workflows").then().statusCode(201).extract().path("workflow_id");
        String trigger = as(ALICE).body(Map.of("kind", "event", "name", "on done", "event_type", "task.completed"))
                .post("/api/workflows/" + workflow + "/triggers").then().statusCode(201).extract().path("trigger_id");
        String traceId = newTraceId();
        String taskSpan = newSpanId();
        // What task-service publishes when a task of a traced request completes.
        CloudEvent completed = new CloudEvent("1.0", UUID.randomUUID().toString(), "/task-service", "task.state", "t-traced",
                Instant.now(), "application/json", mapper.valueToTree(Map.of("task_id", "t-traced", "state", "COMPLETED")),
                ALICE, traceparent(traceId, taskSpan));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            // Event triggers are read again each reconcile interval: published until one hears it.
            publisher.publish(names.channel("task", "events"), completed).await().atMost(Duration.ofSeconds(5));
            return as(ALICE).get("/api/workflows/" + workflow + "/triggers/" + trigger).then().extract()
                    .path("last_execution_id") != null;
        });
        String id = as(ALICE).get("/api/workflows/" + workflow + "/triggers/" + trigger).then().extract().path("last_execution_id");
        assertEquals("completed", awaitEnd(ALICE, id).getString("status"));
        assertEquals(traceparent(traceId, taskSpan), storedTraceParent(id));
        SpanData run = executionSpan(id);
        assertEquals("execution " + workflow, run.getName());
        assertEquals(workflow, run.getAttributes().get(WORKFLOW_ID));
        assertEquals(traceId, run.getTraceId());
        assertEquals(taskSpan, run.getParentSpanId(), "the run is a child of the span that published the event");
    }

    @Test
    void everyWayOfStartingARunKeepsTheTraceOfTheCallThatStartedIt() {
        String workflow = as(ALICE).body(Graphs.create().node("n", "noop", null, new JsonObject().put("value", 1))
                        .json().put("name", "traced-" + UUID.randomUUID()).encode())
                .post("/api/workflows").then().statusCode(201).extract().path("workflow_id");

        String batchTrace = newTraceId();
        List<String> batch = as(ALICE).header("traceparent", traceparent(batchTrace, newSpanId()))
                .body(new JsonObject().put("executions", new JsonArray().add(new JsonObject().put("workflow_id", workflow))
                        .add(new JsonObject().put("workflow_id", workflow))).encode())
                .post("/api/executions/batch").then().statusCode(202).extract().path("items.execution_id");
        assertEquals(2, batch.size());
        batch.forEach(id -> assertTrue(storedTraceParent(id).startsWith("00-" + batchTrace + "-"), storedTraceParent(id)));

        String runTrace = newTraceId();
        String run = as(ALICE).header("traceparent", traceparent(runTrace, newSpanId())).body("{}")
                .post("/api/workflows/" + workflow + "/run").then().statusCode(202).extract().path("execution_id");
        assertTrue(storedTraceParent(run).startsWith("00-" + runTrace + "-"), storedTraceParent(run));

        // A re-run is in the trace of the call that asked for it, not of the run it repeats.
        awaitEnd(ALICE, run);
        String rerunTrace = newTraceId();
        String rerun = as(ALICE).header("traceparent", traceparent(rerunTrace, newSpanId())).body(Map.of("from_node", "n"))
                .post("/api/executions/" + run + "/rerun").then().statusCode(202).extract().path("execution_id");
        assertTrue(storedTraceParent(rerun).startsWith("00-" + rerunTrace + "-"), storedTraceParent(rerun));

        JsonPath hook = as(ALICE).body(Map.of("kind", "webhook", "name", "hook", "respond_within_seconds", 0))
                .post("/api/workflows/" + workflow + "/triggers").then().statusCode(201).extract().jsonPath();
        String hookTrace = newTraceId();
        String body = "{}";
        long now = Instant.now().getEpochSecond();
        String fired = RestAssured.given().contentType("application/json").header("traceparent", traceparent(hookTrace, newSpanId()))
                .header("X-Suite-Signature", "t=" + now + ",v1=" + hmac(hook.getString("secret"), now + "." + body)).body(body)
                .post(hook.getString("webhook_url")).then().statusCode(202).extract().path("execution_id");
        assertTrue(storedTraceParent(fired).startsWith("00-" + hookTrace + "-"), storedTraceParent(fired));

        // A tick asks nothing traced: its run is a trace of its own.
        String schedule = as(ALICE).body(Map.of("kind", "schedule", "name", "each second", "cron", "* * * * * *"))
                .post("/api/workflows/" + workflow + "/triggers").then().statusCode(201).extract().path("trigger_id");
        String ticked = await().atMost(Duration.ofSeconds(20)).until(() -> as(ALICE)
                .get("/api/workflows/" + workflow + "/triggers/" + schedule).then().extract().<String>path("last_execution_id"),
                executionId -> executionId != null);
        as(ALICE).delete("/api/workflows/" + workflow + "/triggers/" + schedule).then().statusCode(204);
        assertNull(storedTraceParent(ticked));
        assertFalse(executionSpan(ticked).getParentSpanContext().isValid(), "a run of a tick has no parent");
    }

    @Test
    void aNodeWhoseOutputsCameFromTheCacheSaysSo() {
        JsonObject request = Graphs.create()
                .node("t", "text_template", config("template", "cached " + UUID.randomUUID(), "cache", true), new JsonObject().put("text", "x"))
                .run(null);
        String made = Executions.submit(ALICE, request);
        assertEquals("completed", awaitEnd(ALICE, made).getString("status"));
        String reused = Executions.submit(ALICE, request);
        assertEquals("completed", awaitEnd(ALICE, reused).getString("status"));
        assertNull(nodeSpan(executionSpan(made), "t").getAttributes().get(CACHED));
        SpanData fromCache = nodeSpan(executionSpan(reused), "t");
        assertEquals(true, fromCache.getAttributes().get(CACHED));
        assertEquals("completed", fromCache.getAttributes().get(NODE_STATUS));
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmac(String secret, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
