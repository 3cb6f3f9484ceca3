package dev.suite.workflow.caching;

import dev.suite.workflow.Graphs;
import dev.suite.workflow.realtime.ExecutionEvents;
import dev.suite.workflow.testnodes.CountingNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.suite.workflow.Executions.awaitEnd;
import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.Executions.node;
import static dev.suite.workflow.Executions.submit;
import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.BOB;
import static dev.suite.workflow.TestUsers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Re-running from a node with the version that ran, and node outputs reused for the same config and inputs. */
@QuarkusTest
class RerunAndCacheTest {

    @Inject
    ExecutionEvents events;

    private static Graphs chain(String first, String second) {
        return Graphs.create().input("who", "string", true)
                .node("in", "interface_input", config("name", "who"))
                .node("a", "text_template", config("template", first))
                .node("b", "text_template", config("template", second))
                .edge("in", "value", "a", "text").edge("a", "text", "b", "text")
                .output("said", "b", "text");
    }

    /** Whether the node's outputs were reused rather than made (its NODE_COMPLETE event says cached). */
    private boolean reused(String executionId, String nodeId) {
        return events.after(executionId, null, 200).await().atMost(Duration.ofSeconds(5)).stream()
                .map(e -> new JsonObject(e.json()))
                .anyMatch(e -> "workflow.node.complete".equals(e.getString("type"))
                        && nodeId.equals(e.getJsonObject("data").getString("node_id"))
                        && e.getJsonObject("data").getBoolean("cached", false));
    }

    @Test
    void aRerunRunsTheNodeAndItsDescendantsWithTheVersionThatRanAndKeepsTheRest() {
        String workflow = as(ALICE).body(chain("A {{text}}", "B {{text}}").json().put("name", "chain-" + UUID.randomUUID()).encode())
                .post("/api/workflows").then().statusCode(201).extract().path("workflow_id");
        String first = as(ALICE).body(Map.of("inputs", Map.of("who", "x"))).post("/api/workflows/" + workflow + "/run")
                .then().statusCode(202).extract().path("execution_id");
        JsonPath ran = awaitEnd(ALICE, first);
        assertEquals("B A x", ran.getString("outputs.said"));
        assertEquals(1, ran.getInt("workflow_version"), "the version a run without one ran is recorded");
        // The workflow changes after the run: the re-run still runs what ran.
        as(ALICE).body(chain("C {{text}}", "D {{text}}").json().put("name", "changed").encode()).put("/api/workflows/" + workflow)
                .then().statusCode(200);

        as(BOB).body(Map.of("from_node", "b")).post("/api/executions/" + first + "/rerun").then().statusCode(404);
        as(ALICE).body(Map.of("from_node", "nope")).post("/api/executions/" + first + "/rerun").then().statusCode(400);
        as(ALICE).body(Map.of()).post("/api/executions/" + first + "/rerun").then().statusCode(400);
        String again = as(ALICE).body(Map.of("from_node", "b")).post("/api/executions/" + first + "/rerun")
                .then().statusCode(202).extract().path("execution_id");
        JsonPath rerun = awaitEnd(ALICE, again);
        assertEquals("completed", rerun.getString("status"));
        assertEquals("B A x", rerun.getString("outputs.said"));
        assertEquals(first, rerun.getString("rerun_of"));
        assertEquals(1, rerun.getInt("workflow_version"));
        // "a" kept from the first run (its start is the first run's); "b" ran again.
        assertEquals(node(ran, "a").get("started_at"), node(rerun, "a").get("started_at"));
        assertNotEquals(node(ran, "b").get("started_at"), node(rerun, "b").get("started_at"));
    }

    @Test
    void nodesWorthCachingReuseOutputsForTheSameInputsPerOwnerUnlessTheyOptOut() {
        String counter = UUID.randomUUID().toString();
        JsonObject run = Graphs.create().node("heavy", "test_counting", config("counter", counter),
                new JsonObject().put("value", "y")).output("runs", "heavy", "runs").run(null);
        assertEquals(1, awaitEnd(ALICE, submit(ALICE, run)).getInt("outputs.runs"));
        String two = submit(ALICE, run);
        assertEquals(1, awaitEnd(ALICE, two).getInt("outputs.runs"), "reused, not run again");
        assertTrue(reused(two, "heavy"));
        assertEquals(1, CountingNode.RUNS.get(counter).get());
        // Other inputs, other outputs; another user never gets Alice's.
        awaitEnd(ALICE, submit(ALICE, Graphs.create().node("heavy", "test_counting", config("counter", counter),
                new JsonObject().put("value", "z")).run(null)));
        String bobs = submit(BOB, run);
        awaitEnd(BOB, bobs);
        assertFalse(reused(bobs, "heavy"));
        assertEquals(3, CountingNode.RUNS.get(counter).get());
        // A node that says cache: false runs each time; types that call out, wait or cost less than a
        // look-up reuse only where a node asks.
        JsonObject fresh = Graphs.create()
                .node("own", "test_counting", config("counter", counter, "cache", false), new JsonObject().put("value", "y"))
                .node("t", "text_template", config("template", counter + " {{text}}", "cache", true), new JsonObject().put("text", "x"))
                .node("u", "text_template", config("template", counter + " {{text}}"), new JsonObject().put("text", "w"))
                .node("d", "delay", config("ms", 1, "cache", true), new JsonObject().put("value", counter))
                .node("e", "delay", config("ms", 1), new JsonObject().put("value", counter))
                .run(null);
        awaitEnd(ALICE, submit(ALICE, fresh));
        String repeat = submit(ALICE, fresh);
        awaitEnd(ALICE, repeat);
        assertFalse(reused(repeat, "own"));
        assertEquals(5, CountingNode.RUNS.get(counter).get());
        assertTrue(reused(repeat, "t"));
        assertFalse(reused(repeat, "u"));
        assertTrue(reused(repeat, "d"));
        assertFalse(reused(repeat, "e"));
    }
}
