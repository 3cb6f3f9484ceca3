package dev.suite.workflow.engine;

import dev.suite.workflow.Graphs;
import dev.suite.workflow.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.suite.workflow.Executions.awaitEnd;
import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.Executions.node;
import static dev.suite.workflow.Executions.submit;
import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class DagSemanticsTest {

    @Test
    void valuesFlowAlongEdgesToTheOutputs() {
        Graphs graph = Graphs.create().input("who", "string", true)
                .node("in", "interface_input", config("name", "who"))
                .node("greet", "text_template", config("template", "Hello {{text}}!"))
                .node("shape", "json_transform", config("template", new JsonObject().put("greeting", "{{$}}").put("n", 1)))
                .node("pick", "json_path", config("path", "$.greeting"))
                .node("out", "interface_output", config("name", "greeting"))
                .edge("in", "value", "greet", "text").edge("greet", "text", "shape", "value")
                .edge("shape", "value", "pick", "value").edge("pick", "value", "out", "value")
                .output("shaped", "shape", "value");
        JsonPath done = awaitEnd(ALICE, submit(ALICE, graph.run(new JsonObject().put("who", "World"))));
        assertEquals("completed", done.getString("status"));
        assertEquals("Hello World!", done.getString("outputs.greeting"));
        assertEquals(1, done.getInt("outputs.shaped.n"));
        assertEquals(5, done.getList("nodes").size());
        assertNotNull(done.getString("started_at"));
        assertNotNull(done.get("duration_ms"));
    }

    @Test
    void independentBranchesRunConcurrently() {
        // Each rendezvous node completes only when all three are running at once.
        Graphs graph = Graphs.create().node("start", "noop", null, new JsonObject().put("value", 1))
                .node("a", "test_rendezvous", config("parties", 3)).node("b", "test_rendezvous", config("parties", 3))
                .node("c", "test_rendezvous", config("parties", 3)).node("join", "merge", config("mode", "array"))
                .edge("start", "value", "a", "value").edge("start", "value", "b", "value").edge("start", "value", "c", "value")
                .edge("a", "value", "join", "a").edge("b", "value", "join", "b").edge("c", "value", "join", "c")
                .output("all", "join", "value");
        JsonPath done = awaitEnd(ALICE, submit(ALICE, graph.run(null)));
        assertEquals("completed", done.getString("status"));
        assertEquals(3, done.getList("outputs.all").size());
    }

    @Test
    void aFailedNodeSkipsItsDescendantsWhileIndependentBranchesGoOn() {
        Graphs graph = Graphs.create().node("start", "noop", null, new JsonObject().put("value", "x"))
                .node("bad", "test_flaky", config("fail_times", 1, "permanent", true))
                .node("after_bad", "noop").node("after_after", "noop")
                .node("good", "text_template", config("template", "ok {{text}}"))
                .edge("start", "value", "bad", "value").edge("bad", "value", "after_bad", "value")
                .edge("after_bad", "value", "after_after", "value").edge("start", "value", "good", "text")
                .output("good", "good", "text");
        JsonPath done = awaitEnd(ALICE, submit(ALICE, graph.run(null)));
        assertEquals("failed", done.getString("status"));
        assertTrue(done.getString("error").startsWith("node bad failed: planned failure"), done.getString("error"));
        assertEquals("failed", node(done, "bad").get("status"));
        assertEquals("skipped", node(done, "after_bad").get("status"));
        assertEquals("skipped", node(done, "after_after").get("status"));
        assertEquals("completed", node(done, "good").get("status"));
        assertEquals("ok x", done.getString("outputs.good"));
    }

    @Test
    void continueLetsDescendantsRunWithNullAndErrorBranchCarriesTheError() {
        Graphs graph = Graphs.create().node("start", "noop", null, new JsonObject().put("value", "x"))
                .node("soft", "test_flaky", config("fail_times", 5, "permanent", true, "on_error", "continue"))
                .node("after_soft", "noop")
                .node("branching", "test_flaky", config("fail_times", 5, "permanent", true, "on_error", "error_branch"))
                .node("normal", "noop").node("handler", "json_path", config("path", "$.message"))
                .edge("start", "value", "soft", "value").edge("soft", "value", "after_soft", "value")
                .edge("start", "value", "branching", "value").edge("branching", "value", "normal", "value")
                .edge("branching", "error", "handler", "value")
                .output("soft", "after_soft", "value").output("handled", "handler", "value");
        JsonPath done = awaitEnd(ALICE, submit(ALICE, graph.run(null)));
        assertEquals("completed", done.getString("status"));
        assertEquals("completed", node(done, "after_soft").get("status"));
        assertNull(done.get("outputs.soft"));
        assertEquals("skipped", node(done, "normal").get("status"));
        assertEquals("planned failure of attempt 1", done.getString("outputs.handled"));
    }

    @Test
    void retriesTransientFailuresAsThePolicySays() {
        Graphs graph = Graphs.create()
                .node("flaky", "test_flaky", config("fail_times", 2, "retries", 2, "retry_backoff_ms", 10),
                        new JsonObject().put("value", 7))
                .node("permanent", "test_flaky", config("fail_times", 1, "permanent", true, "retries", 3, "on_error", "continue"))
                .output("value", "flaky", "value");
        JsonPath done = awaitEnd(ALICE, submit(ALICE, graph.run(null)));
        assertEquals("completed", done.getString("status"));
        assertEquals(7, done.getInt("outputs.value"));
        assertEquals(3, node(done, "flaky").get("attempts"));
        // A permanent failure is not retried.
        assertEquals(1, node(done, "permanent").get("attempts"));
    }

    @Test
    void aNodeOverItsTimeLimitFails() {
        Graphs graph = Graphs.create().node("slow", "delay", config("ms", 60_000, "timeout_ms", 200));
        JsonPath done = awaitEnd(ALICE, submit(ALICE, graph.run(null)));
        assertEquals("failed", done.getString("status"));
        assertEquals("timed out after 200 ms", node(done, "slow").get("error"));
    }

    @Test
    void bypassedNodesPassTheirInputsThrough() {
        Graphs graph = Graphs.create().node("start", "noop", null, new JsonObject().put("value", "raw"))
                .node("shout", "text_template", config("template", "{{text}}!!!"))
                .node("after", "noop")
                .edge("start", "value", "shout", "text").edge("shout", "text", "after", "value")
                .bypassed("shout").output("value", "after", "value");
        JsonPath done = awaitEnd(ALICE, submit(ALICE, graph.run(null)));
        assertEquals("completed", done.getString("status"));
        assertEquals("raw", done.getString("outputs.value"));
        assertEquals("bypassed", node(done, "shout").get("status"));
    }

    @Test
    void conditionsAndSwitchesSkipTheBranchNotTaken() {
        Graphs graph = Graphs.create().node("start", "noop", null, new JsonObject().put("value", new JsonObject().put("kind", "b").put("n", 5)))
                .node("big", "condition", config("operator", "gt", "operand", 3, "path", "$.n"))
                .node("yes", "noop").node("no", "noop")
                .node("route", "switch", config("cases", new io.vertx.core.json.JsonArray().add("a").add("b"), "path", "$.kind"))
                .node("on_a", "noop").node("on_b", "noop").node("other", "noop")
                .edge("start", "value", "big", "value").edge("big", "true", "yes", "value").edge("big", "false", "no", "value")
                .edge("start", "value", "route", "value").edge("route", "a", "on_a", "value")
                .edge("route", "b", "on_b", "value").edge("route", "default", "other", "value");
        JsonPath done = awaitEnd(ALICE, submit(ALICE, graph.run(null)));
        assertEquals("completed", done.getString("status"));
        Map<String, Object> yes = node(done, "yes");
        assertEquals("completed", yes.get("status"));
        assertEquals("skipped", node(done, "no").get("status"));
        assertEquals("completed", node(done, "on_b").get("status"));
        assertEquals("skipped", node(done, "on_a").get("status"));
        assertEquals("skipped", node(done, "other").get("status"));
    }

    @Test
    void largeOutputsAreStoredByReference() {
        String big = "x".repeat(10_000);
        Graphs graph = Graphs.create().node("big", "noop", null, new JsonObject().put("value", big));
        String id = submit(ALICE, graph.run(null));
        JsonPath done = awaitEnd(ALICE, id);
        Map<String, Object> bigNode = node(done, "big");
        assertNull(bigNode.get("outputs"));
        String ref = (String) bigNode.get("outputs_ref");
        as(ALICE).get(ref).then().statusCode(200).body("value", startsWith("xxxx"));
        assertEquals(10_000, as(ALICE).get(ref).then().extract().jsonPath().getString("value").length());
        as("bob").get(ref).then().statusCode(404).body("detail", containsString("not found"));
    }
}
