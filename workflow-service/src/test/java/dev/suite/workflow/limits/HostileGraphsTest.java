package dev.suite.workflow.limits;

import dev.suite.workflow.Graphs;
import dev.suite.workflow.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.suite.workflow.Executions.awaitEnd;
import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.Executions.node;
import static dev.suite.workflow.Executions.submit;
import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graphs written to exhaust a replica: a backtracking regex, workflows that run themselves, fan-out without end. */
@QuarkusTest
class HostileGraphsTest {

    private static String create(JsonObject graph) {
        return as(ALICE).body(graph.put("name", "hostile-" + UUID.randomUUID()).encode()).post("/api/workflows")
                .then().statusCode(201).extract().path("workflow_id");
    }

    private static JsonObject fanOut(String target, int width) {
        Graphs graph = Graphs.create();
        for (int i = 0; i < width; i++) {
            graph.node("sub" + i, "sub_workflow", config("workflow_id", target));
        }
        return graph.json();
    }

    private static long millisToList() {
        long start = System.nanoTime();
        as(ALICE).get("/api/workflows?limit=1").then().statusCode(200);
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    @Test
    void aCatastrophicRegexNeitherHangsNorBlocksTheReplica() {
        // (.*a){12} against fifty a's and a '!': java.util.regex backtracks for hours; RE2 answers at once.
        Graphs graph = Graphs.create()
                .node("start", "noop", null, new JsonObject().put("value", "a".repeat(50) + "!"))
                .node("test", "condition", config("operator", "matches", "operand", "^(.*a){12}$"))
                .node("yes", "noop").node("no", "noop")
                .edge("start", "value", "test", "value").edge("test", "true", "yes", "value")
                .edge("test", "false", "no", "value");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(submit(ALICE, graph.run(null)));
        }
        assertTrue(millisToList() < 2_000, "the replica answers while the conditions run");
        for (String id : ids) {
            JsonPath done = awaitEnd(ALICE, id);
            assertEquals("completed", done.getString("status"));
            assertEquals("completed", node(done, "no").get("status"));
        }
    }

    @Test
    void aPatternRe2CannotRunIsRefusedWhenSaved() {
        JsonObject graph = Graphs.create().node("test", "condition", config("operator", "matches", "operand", "(a)\\1"))
                .json();
        as(ALICE).body(graph.put("name", "backref").encode()).post("/api/workflows").then().statusCode(400)
                .body("errors.message", hasItem(containsString("not an RE2 regular expression")));
    }

    @Test
    void aWorkflowThatWouldRunItselfIsRefusedWhenSaved() {
        String self = create(Graphs.create().node("a", "noop").json());
        // One hundred nodes that run their own workflow: 100^5 runs, were it saved.
        as(ALICE).body(fanOut(self, 100).put("name", "self").encode()).put("/api/workflows/" + self).then()
                .statusCode(400).body("errors[0].field", containsString("config.workflow_id"))
                .body("errors[0].message", containsString(self + " → " + self));

        String first = create(Graphs.create().node("a", "noop").json());
        String second = create(fanOut(first, 1));
        as(ALICE).body(fanOut(second, 1).put("name", "loop").encode()).put("/api/workflows/" + first).then()
                .statusCode(400).body("errors[0].message", containsString(first + " → " + second + " → " + first));
    }

    @Test
    void aCycleThatReachedTheDatabaseAnywayStopsAtItsFirstRepeat() {
        // Two concurrent saves can each pass the check; the engine refuses the repeat when it runs.
        String self = create(Graphs.create().node("a", "noop").json());
        TestDb.update("UPDATE workflow_version SET graph = ? WHERE workflow_id = ?",
                fanOut(self, 100).encode(), self);
        String id = as(ALICE).body(new JsonObject().put("workflow_id", self).encode()).post("/api/executions").then()
                .statusCode(202).extract().path("execution_id");
        JsonPath done = awaitEnd(ALICE, id);
        assertEquals("failed", done.getString("status"));
        assertTrue(String.valueOf(node(done, "sub0").get("error")).contains("would run itself again"),
                String.valueOf(node(done, "sub0")));
        assertTrue(millisToList() < 2_000);
    }

    @Test
    void fanOutAcrossSubWorkflowsStopsAtTheNodeBudget() {
        String leaves = create(Graphs.create().node("a", "noop").node("b", "noop").node("c", "noop").node("d", "noop")
                .node("e", "noop").node("f", "noop").node("g", "noop").node("h", "noop").node("i", "noop")
                .node("j", "noop").json());
        String middle = create(fanOut(leaves, 40));
        String top = create(fanOut(middle, 40));
        // 40 × (1 + 40 × (1 + 10)) = 17,640 node runs, over the budget of 10,000.
        String id = as(ALICE).body(new JsonObject().put("workflow_id", top).encode()).post("/api/executions").then()
                .statusCode(202).extract().path("execution_id");
        JsonPath done = awaitEnd(ALICE, id);
        assertEquals("failed", done.getString("status"));
        List<String> errors = done.getList("nodes.error", String.class);
        assertTrue(errors.stream().anyMatch(e -> e != null && e.contains("node budget")), errors.toString());
        assertTrue(millisToList() < 2_000);
    }
}
