package dev.suite.workflow.executions;

import dev.suite.workflow.Graphs;
import dev.suite.workflow.TestDb;
import dev.suite.workflow.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.suite.workflow.Executions.awaitEnd;
import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.BOB;
import static dev.suite.workflow.TestUsers.as;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** POST /api/executions/batch: many executions in one request, all valid or none queued. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class ExecutionBatchTest {

    private static final String BATCH = "/api/executions/batch";

    /** A run whose output is its input. */
    private static JsonObject echo(int value) {
        return Graphs.create().input("n", "number", true).node("in", "interface_input", config("name", "n"))
                .node("out", "interface_output", config("name", "n")).edge("in", "value", "out", "value")
                .run(new JsonObject().put("n", value));
    }

    private static JsonObject batch(JsonObject... executions) {
        return new JsonObject().put("executions", new JsonArray(List.of((Object[]) executions)));
    }

    @Test
    void aBatchIsQueuedInOrderAndEachRunsWithItsOwnInputs() {
        List<String> ids = as(ALICE).body(batch(echo(1), echo(2), echo(3).put("priority", 9)).encode()).post(BATCH)
                .then().statusCode(202).body("items.status", everyItem(equalTo("queued")))
                .extract().path("items.execution_id");
        assertEquals(3, ids.stream().distinct().count());
        for (int i = 0; i < 3; i++) {
            JsonPath done = awaitEnd(ALICE, ids.get(i));
            assertEquals("completed", done.getString("status"));
            assertEquals(i + 1, done.getInt("outputs.n"));
        }
        // Each is its owner's only.
        as(BOB).get("/api/executions/" + ids.get(0)).then().statusCode(404);
    }

    @Test
    void oneInvalidExecutionQueuesNoneAndEachErrorNamesItsExecution() {
        String marker = UUID.randomUUID().toString();
        long before = TestDb.count("SELECT COUNT(*) FROM execution");
        as(ALICE).body(batch(echo(1).put("priority", 4), Graphs.create().node("a", "no_such_type").run(null),
                        echo(3).put("priority", 10), new JsonObject().put("workflow_id", marker)).encode())
                .post(BATCH).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field.findAll { it.startsWith('executions[1].') }.size()", equalTo(1))
                .body("errors.field.findAll { !it.startsWith('executions[1].') }",
                        containsInAnyOrder("executions[2].priority", "executions[3].workflow_id"));
        assertEquals(before, TestDb.count("SELECT COUNT(*) FROM execution"), "nothing of the batch was stored");
    }

    @Test
    void aBatchHoldsOneToTheMostExecutionsARequestMayQueue() {
        as(ALICE).body(batch().encode()).post(BATCH).then().statusCode(400).body("errors[0].field", equalTo("executions"));
        as(ALICE).body("{}").post(BATCH).then().statusCode(400).body("errors[0].field", equalTo("executions"));
        JsonObject[] tooMany = new JsonObject[1_001];
        java.util.Arrays.fill(tooMany, echo(1));
        as(ALICE).body(batch(tooMany).encode()).post(BATCH).then().statusCode(400).body("errors[0].field", equalTo("executions"));
    }
}
