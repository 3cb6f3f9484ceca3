package dev.suite.workflow.nodes;

import dev.suite.commons.testing.SocketClient;
import dev.suite.workflow.Frames;
import dev.suite.workflow.Graphs;
import dev.suite.workflow.TestDb;
import dev.suite.workflow.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.suite.workflow.Executions.awaitEnd;
import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.Executions.node;
import static dev.suite.workflow.Executions.submit;
import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.BOB;
import static dev.suite.workflow.TestUsers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The nodes that call other services and sites, against faithful fakes of them. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class BuiltInNodesTest {

    private static Vertx vertx;
    private static HttpServer site;

    @BeforeAll
    static void startSite() throws Exception {
        vertx = Vertx.vertx();
        site = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            if (request.path().equals("/fail")) {
                request.response().setStatusCode(503).end("busy");
                return;
            }
            request.response().putHeader("Content-Type", "application/json").putHeader("X-Seen", request.method().name())
                    .end(new JsonObject().put("path", request.path()).put("echo", body.length() == 0 ? null : body.toJsonObject())
                            .encode());
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopSite() {
        vertx.close();
    }

    @Test
    void llmNodeStreamsItsAnswerToASlowReaderAndToTheSocket() throws Exception {
        String prompt = IntStream.range(0, 150).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));
        Graphs graph = Graphs.create()
                .node("llm", "llm_chat", config("model", "cfg-echo", "system_prompt", "Be brief."),
                        new JsonObject().put("prompt", prompt))
                .node("reader", "test_stream_reader", config("delay_ms", 2))
                .edge("llm", "stream", "reader", "stream")
                .output("text", "llm", "text").output("read", "reader", "text").output("chunks", "reader", "chunks");
        try (SocketClient socket = Frames.connect(ALICE, null)) {
            Frames.send(socket, "PROMPT_REQUEST", graph.run(null));
            String id = socket.await(SocketClient.type("PROMPT_ACCEPTED_RESPONSE")).getJsonObject("payload").getString("prompt_id");
            socket.await(Frames.event("EXECUTION_COMPLETE", id));
            JsonPath done = awaitEnd(ALICE, id);
            assertEquals("completed", done.getString("status"));
            assertEquals(prompt, done.getString("outputs.text"));
            assertEquals(prompt, done.getString("outputs.read"));
            assertEquals(150, done.getInt("outputs.chunks"));
            String streamed = Frames.eventsOf(socket, id).stream().filter(SocketClient.type("NODE_YIELD"))
                    .map(e -> e.getJsonObject("payload").getString("chunk")).collect(Collectors.joining());
            assertEquals(prompt, streamed);
            JsonObject complete = socket.await(Frames.event("EXECUTION_COMPLETE", id));
            assertEquals(prompt, complete.getJsonObject("payload").getJsonObject("outputs").getString("text"));
            // The execution ran for its user: their credentials went to llm-service, and are gone once it ended.
            assertTrue(Upstreams.llm.authorizations.contains("Bearer alice-key"));
            assertNull(TestDb.query("SELECT caller_auth FROM execution WHERE execution_id = ?", id).get(0).get("caller_auth"));
            JsonObject sent = Upstreams.llm.requests.stream().filter(r -> prompt.equals(r.getJsonArray("messages")
                    .getJsonObject(1).getString("content"))).findFirst().orElseThrow();
            assertEquals("system", sent.getJsonArray("messages").getJsonObject(0).getString("role"));
            assertEquals(true, sent.getBoolean("stream"));
        }
    }

    @Test
    void anAnswerStreamedByteByByteKeepsEveryCharacter() {
        // The fake writes one byte per read: every multi-byte character straddles two buffers.
        String prompt = "绿茶は最高 🍵 — ça va, 여보세요";
        Graphs graph = Graphs.create()
                .node("llm", "llm_chat", config("model", "bytewise-echo"), new JsonObject().put("prompt", prompt))
                .output("text", "llm", "text");
        JsonPath done = awaitEnd(ALICE, submit(ALICE, graph.run(null)));
        assertEquals("completed", done.getString("status"));
        assertEquals(prompt, done.getString("outputs.text"));
    }

    @Test
    void llmFailuresFailTheNodeWithTheUpstreamReason() {
        Graphs graph = Graphs.create()
                .node("refused", "llm_chat", config("model", "missing-config", "on_error", "continue"), new JsonObject().put("prompt", "hi"))
                .node("broken", "llm_chat", config("model", "broken-provider", "retries", 1, "retry_backoff_ms", 1),
                        new JsonObject().put("prompt", "hi"));
        JsonPath done = awaitEnd(ALICE, submit(ALICE, graph.run(null)));
        assertEquals("failed", done.getString("status"));
        assertEquals("llm-service answered 404: The model 'missing-config' does not exist or you do not have access to it.",
                node(done, "refused").get("error"));
        assertEquals(1, node(done, "refused").get("attempts"));
        assertEquals("llm-service answered 500: The provider failed.", node(done, "broken").get("error"));
        assertEquals(2, node(done, "broken").get("attempts"));
    }

    @Test
    void mcpNodeCallsTheToolAndFailsOnToolErrors() {
        Graphs graph = Graphs.create()
                .node("args", "json_transform", config("template", new JsonObject().put("message", "{{$}}")),
                        new JsonObject().put("value", "hi there"))
                .node("echo", "mcp_tool", config("server_id", "srv-1", "tool", "echo"))
                .node("failing", "mcp_tool", config("server_id", "srv-1", "tool", "fail", "on_error", "continue"))
                .node("dead", "mcp_tool", config("server_id", "srv-dead", "tool", "echo", "on_error", "continue"))
                .edge("args", "value", "echo", "arguments")
                .output("text", "echo", "text");
        JsonPath done = awaitEnd(ALICE, submit(ALICE, graph.run(null)));
        assertEquals("completed", done.getString("status"));
        assertEquals("Echo: hi there", done.getString("outputs.text"));
        assertEquals("the tool reported an error: the tool failed", node(done, "failing").get("error"));
        assertEquals("mcp-gateway answered 502: The MCP server is unreachable: connection refused", node(done, "dead").get("error"));
        assertEquals("Bearer alice-key", Upstreams.mcp.lastAuthorization);
    }

    @Test
    void mediaNodeWaitsForTheTaskAndReportsProgress() throws Exception {
        Graphs graph = Graphs.create()
                .node("thumb", "media_task", config("kind", "image", "params", new JsonObject().put("operation", "thumbnail"),
                        "poll_interval_ms", 50), new JsonObject().put("file_ids", new JsonArray().add("f-1")))
                .node("bad", "media_task", config("kind", "image", "params", new JsonObject().put("operation", "corrupt"),
                        "poll_interval_ms", 50, "on_error", "continue"))
                .output("result", "thumb", "result");
        try (SocketClient socket = Frames.connect(ALICE, null)) {
            String id = submit(ALICE, graph.run(null));
            Frames.send(socket, "SUBSCRIBE", new JsonObject().put("execution_id", id));
            socket.await(Frames.event("EXECUTION_COMPLETE", id));
            JsonPath done = awaitEnd(ALICE, id);
            assertTrue(done.getString("outputs.result.output_file_ids[0]").startsWith("file-"));
            assertTrue(((String) node(done, "bad").get("error")).endsWith("failed: not an image: unsupported format"),
                    (String) node(done, "bad").get("error"));
            assertTrue(Frames.eventsOf(socket, id).stream().anyMatch(e -> "NODE_PROGRESS".equals(e.getString("type"))
                    && e.getJsonObject("payload").getDouble("progress") == 0.5));
        }
    }

    @Test
    void httpNodeCallsSitesButNotMetadataAddresses() {
        String base = "http://127.0.0.1:" + site.actualPort();
        Graphs graph = Graphs.create()
                .node("get", "http_request", config("url", base + "/items?x=1"))
                .node("post", "http_request", config("method", "POST", "url", base + "/create"),
                        new JsonObject().put("body", new JsonObject().put("n", 1)))
                .node("busy", "http_request", config("url", base + "/fail", "on_error", "continue"))
                .node("metadata", "http_request", config("on_error", "continue"),
                        new JsonObject().put("url", "http://169.254.169.254/latest/meta-data/"))
                .output("got", "get", "body").output("posted", "post", "body").output("seen", "post", "headers");
        JsonPath done = awaitEnd(ALICE, submit(ALICE, graph.run(null)));
        assertEquals("completed", done.getString("status"), done.prettify());
        assertEquals("/items", done.getString("outputs.got.path"));
        assertEquals(1, done.getInt("outputs.posted.echo.n"));
        assertEquals("POST", done.getString("outputs.seen.x-seen"));
        assertEquals("127.0.0.1 answered 503: busy", node(done, "busy").get("error"));
        assertTrue(((String) node(done, "metadata").get("error")).contains("must not point at a link-local or cloud metadata address"),
                (String) node(done, "metadata").get("error"));
        // A URL in the config is checked when the graph is saved.
        as(ALICE).body(Graphs.create().node("m", "http_request", config("url", "http://169.254.169.254/")).run(null).encode())
                .post("/api/executions").then().statusCode(400);
    }

    @Test
    void subWorkflowsRunTheirGraphAsOneNodeForTheirOwnerOnly() {
        String greeter = as(ALICE).body(Graphs.create().input("who", "string", true)
                        .node("in", "interface_input", config("name", "who"))
                        .node("greet", "text_template", config("template", "Hi {{text}}"))
                        .node("out", "interface_output", config("name", "greeting"))
                        .edge("in", "value", "greet", "text").edge("greet", "text", "out", "value")
                        .json().put("name", "Greeter").encode())
                .post("/api/workflows").then().statusCode(201).extract().path("workflow_id");
        Graphs outer = Graphs.create()
                .node("sub", "sub_workflow", config("workflow_id", greeter), new JsonObject().put("inputs", new JsonObject().put("who", "Bo")))
                .node("pick", "json_path", config("path", "$.greeting"))
                .edge("sub", "outputs", "pick", "value").output("greeting", "pick", "value");
        JsonPath done = awaitEnd(ALICE, submit(ALICE, outer.run(null)));
        assertEquals("Hi Bo", done.getString("outputs.greeting"));
        JsonPath foreign = awaitEnd(BOB, submit(BOB, outer.run(null)));
        assertEquals("failed", foreign.getString("status"));
        assertEquals("sub-workflow: Workflow not found.", node(foreign, "sub").get("error"));
        List<String> statuses = foreign.getList("nodes.status");
        assertEquals(List.of("failed", "skipped"), statuses);
    }
}
