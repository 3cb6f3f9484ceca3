package dev.suite.workflow.approvals;

import dev.suite.workflow.Executions;
import dev.suite.workflow.Graphs;
import dev.suite.workflow.TestDb;
import dev.suite.workflow.realtime.ExecutionEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.suite.workflow.Executions.awaitEnd;
import static dev.suite.workflow.Executions.awaitStatus;
import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.Executions.node;
import static dev.suite.workflow.Executions.submit;
import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.BOB;
import static dev.suite.workflow.TestUsers.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The approval node: an execution pauses, holding no replica, until a person (or the deadline) decides. */
@QuarkusTest
class ApprovalTest {

    @Inject
    ExecutionEvents events;

    /** A document goes to a person; approved it is published ("OK …"), rejected it is returned ("NO …"). */
    private static JsonObject review(JsonObject approvalConfig) {
        return Graphs.create().input("doc", "string", true)
                .node("in", "interface_input", config("name", "doc"))
                .node("ask", "approval", approvalConfig)
                .node("yes", "text_template", config("template", "OK {{text}}"))
                .node("nope", "text_template", config("template", "NO {{text}}"))
                .edge("in", "value", "ask", "value").edge("ask", "approved", "yes", "text").edge("ask", "rejected", "nope", "text")
                .output("ok", "yes", "text").output("no", "nope", "text")
                .run(new JsonObject().put("doc", "draft"));
    }

    private static String path(String id, String node, String verb) {
        return "/api/executions/" + id + "/nodes/" + node + "/" + verb;
    }

    @Test
    void anApprovalWithNoConfigWaitsThenGoesOnWithTheApproversData() {
        String id = submit(ALICE, review(new JsonObject()));
        JsonPath waiting = awaitStatus(ALICE, id, "waiting");
        assertEquals("waiting", node(waiting, "ask").get("status"));
        // Paused, not running: no replica holds it (no run token), so any replica may continue it.
        assertNull(TestDb.query("SELECT run_token FROM execution WHERE execution_id = ?", id).get(0).get("run_token"));
        List<String> types = events.after(id, null, 100).await().atMost(Duration.ofSeconds(5)).stream()
                .map(e -> new JsonObject(e.json()).getString("type")).toList();
        assertTrue(types.contains("workflow.node.approval"), types.toString());

        as(BOB).body(Map.of("data", "hijacked")).post(path(id, "ask", "approve")).then().statusCode(404);
        as(ALICE).body(Map.of("data", "final", "comment", "looks good")).post(path(id, "ask", "approve"))
                .then().statusCode(200);
        JsonPath done = awaitEnd(ALICE, id);
        assertEquals("completed", done.getString("status"));
        assertEquals("OK final", done.getString("outputs.ok"));
        assertEquals("skipped", node(done, "nope").get("status"));
        assertEquals(ALICE, done.getString("nodes.find { it.node_id == 'ask' }.outputs.decision.by"));
        assertEquals("looks good", done.getString("nodes.find { it.node_id == 'ask' }.outputs.decision.comment"));
        as(ALICE).post(path(id, "ask", "approve")).then().statusCode(409);
        as(ALICE).post(path(id, "yes", "reject")).then().statusCode(409);
    }

    @Test
    void aRejectionTakesTheOtherBranchWithTheValue() {
        String id = submit(ALICE, review(new JsonObject().put("message", "Publish this?")));
        JsonPath waiting = awaitStatus(ALICE, id, "waiting");
        assertEquals("Publish this?", waiting.getString("nodes.find { it.node_id == 'ask' }.outputs.message"));
        as(ALICE).post(path(id, "ask", "reject")).then().statusCode(200);
        JsonPath done = awaitEnd(ALICE, id);
        assertEquals("NO draft", done.getString("outputs.no"));
        assertEquals("skipped", node(done, "yes").get("status"));
    }

    @Test
    void aDeadlineDecidesAsItsPolicySays() {
        String rejected = submit(ALICE, review(new JsonObject().put("timeout_seconds", 1)));
        JsonPath done = awaitEnd(ALICE, rejected);
        assertEquals("NO draft", done.getString("outputs.no"));
        assertEquals("timeout", done.getString("nodes.find { it.node_id == 'ask' }.outputs.decision.by"));

        String failed = submit(ALICE, review(new JsonObject().put("timeout_seconds", 1).put("on_timeout", "fail")));
        JsonPath ended = awaitEnd(ALICE, failed);
        assertEquals("failed", ended.getString("status"));
        assertTrue(ended.getString("error").contains("past its timeout"), ended.getString("error"));
        assertEquals("failed", node(ended, "ask").get("status"));
    }

    @Test
    void twoWaitingNodesAreBothDecidedBeforeTheRunGoesOnAndAWaitingRunCanBeInterrupted() {
        JsonObject graph = Graphs.create()
                .node("legal", "approval", new JsonObject(), new JsonObject().put("value", "contract"))
                .node("finance", "approval", new JsonObject(), new JsonObject().put("value", "budget"))
                .node("both", "merge", config("mode", "object"))
                .edge("legal", "approved", "both", "a").edge("finance", "approved", "both", "b")
                .output("signed", "both", "value")
                .run(null);
        String id = submit(ALICE, graph);
        awaitStatus(ALICE, id, "waiting");
        as(ALICE).post(path(id, "legal", "approve")).then().statusCode(200).body("status", equalTo("waiting"));
        as(ALICE).post(path(id, "finance", "approve")).then().statusCode(200);
        JsonPath done = awaitEnd(ALICE, id);
        assertEquals("completed", done.getString("status"));
        assertEquals("contract", done.getString("outputs.signed.a"));
        assertEquals("budget", done.getString("outputs.signed.b"));

        String stopped = submit(ALICE, review(new JsonObject()));
        awaitStatus(ALICE, stopped, "waiting");
        as(ALICE).post("/api/executions/" + stopped + "/interrupt").then().statusCode(200).body("status", equalTo("interrupted"));
        assertEquals("interrupted", node(Executions.get(ALICE, stopped), "ask").get("status"));
        as(ALICE).post(path(stopped, "ask", "approve")).then().statusCode(409);
        as(ALICE).get("/api/executions?status=waiting").then().statusCode(200);
    }
}
