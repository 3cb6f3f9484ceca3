package dev.suite.workflow.executions;

import dev.suite.workflow.Graphs;
import dev.suite.workflow.TestDb;
import dev.suite.workflow.Upstreams;
import dev.suite.workflow.testnodes.GateNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.suite.workflow.Executions.awaitEnd;
import static dev.suite.workflow.Executions.awaitStatus;
import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.Executions.node;
import static dev.suite.workflow.Executions.submit;
import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.BOB;
import static dev.suite.workflow.TestUsers.CAROL;
import static dev.suite.workflow.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class ExecutionResourceTest {

    private static JsonObject noop() {
        return Graphs.create().node("a", "noop", null, new JsonObject().put("value", 1)).run(null);
    }

    @Test
    void aRunningExecutionIsInterruptedAndItsNodesStopped() {
        String id = submit(ALICE, Graphs.create().node("start", "noop", null, new JsonObject().put("value", 1))
                .node("hold", "test_gate", config("name", "never-opened")).node("after", "noop")
                .node("task", "media_task", config("kind", "video", "params", new JsonObject().put("operation", "forever"),
                        "poll_interval_ms", 50))
                .edge("start", "value", "hold", "value").edge("hold", "value", "after", "value").run(null));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> GateNode.reached("never-opened").contains(id));
        // The media branch runs beside the gate: wait until its task exists, or there is nothing to cancel.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Upstreams.tasks.tasks.values().stream()
                .anyMatch(t -> (id + ":task").equals(t.getString("idempotency_key"))));
        int cancelsBefore = Upstreams.tasks.cancels.get();
        as(ALICE).post("/api/executions/" + id + "/interrupt").then().statusCode(202);
        JsonPath done = awaitEnd(ALICE, id);
        assertEquals("interrupted", done.getString("status"));
        assertEquals("interrupted", node(done, "hold").get("status"));
        assertTrue(GateNode.CANCELLED.contains(id));
        // The media node cancelled its task in task-service.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Upstreams.tasks.cancels.get() > cancelsBefore);
        as(ALICE).post("/api/executions/" + id + "/interrupt").then().statusCode(409);
    }

    @Test
    void aQueuedExecutionIsInterruptedAtOnce() {
        // Four gated executions take the whole cap (4 in tests), so the fifth waits in the queue.
        String[] holders = new String[4];
        for (int i = 0; i < 4; i++) {
            holders[i] = submit(ALICE, Graphs.create().node("hold", "test_gate", config("name", "queued-interrupt")).run(null));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> GateNode.reached("queued-interrupt").size() == 4);
        String queued = submit(ALICE, noop());
        as(ALICE).post("/api/executions/" + queued + "/interrupt").then().statusCode(200)
                .body("status", equalTo("interrupted")).body("position", nullValue());
        GateNode.open("queued-interrupt");
        for (String holder : holders) {
            awaitEnd(ALICE, holder);
        }
        assertEquals("interrupted", awaitEnd(ALICE, queued).getString("status"));
        assertEquals(0L, TestDb.count("SELECT COUNT(*) FROM node_run WHERE execution_id = ?", queued));
    }

    @Test
    void historyIsListedByStatusAndDeletedOnceFinished() {
        String first = submit(CAROL, noop());
        String second = submit(CAROL, noop());
        String failing = submit(CAROL, Graphs.create().node("x", "test_flaky", config("fail_times", 1, "permanent", true)).run(null));
        awaitEnd(CAROL, first);
        awaitEnd(CAROL, second);
        awaitEnd(CAROL, failing);
        as(CAROL).get("/api/executions?limit=2").then().statusCode(200).body("items", hasSize(2))
                .body("items[0].execution_id", equalTo(failing)).body("next_before", notNullValue())
                .body("items[0].nodes", nullValue());
        as(CAROL).get("/api/executions?status=completed").then().body("items.status", everyItem(equalTo("completed")));
        as(CAROL).get("/api/executions?status=failed").then().body("items.execution_id", equalTo(java.util.List.of(failing)));
        as(CAROL).get("/api/executions?status=bogus").then().statusCode(400).body("errors[0].field", equalTo("status"));
        as(CAROL).delete("/api/executions/" + first).then().statusCode(204);
        as(CAROL).get("/api/executions/" + first).then().statusCode(404);
        assertEquals(0L, TestDb.count("SELECT COUNT(*) FROM node_run WHERE execution_id = ?", first));
    }

    @Test
    void anUnfinishedExecutionCannotBeDeleted() {
        String id = submit(ALICE, Graphs.create().node("hold", "test_gate", config("name", "undeletable")).run(null));
        awaitStatus(ALICE, id, "running");
        as(ALICE).delete("/api/executions/" + id).then().statusCode(409).body("detail", containsString("interrupt it first"));
        GateNode.open("undeletable");
        awaitEnd(ALICE, id);
        as(ALICE).delete("/api/executions/" + id).then().statusCode(204);
    }

    @Test
    void anotherUsersExecutionIsNotFound() {
        String id = submit(ALICE, noop());
        awaitEnd(ALICE, id);
        as(BOB).get("/api/executions/" + id).then().statusCode(404);
        as(BOB).post("/api/executions/" + id + "/interrupt").then().statusCode(404);
        as(BOB).delete("/api/executions/" + id).then().statusCode(404);
        as(BOB).get("/api/executions/" + id + "/nodes/a/outputs").then().statusCode(404);
        as(BOB).get("/api/executions").then().body("items.execution_id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(id)));
        as(ALICE).get("/api/executions/" + id + "/nodes/a/outputs").then().statusCode(200).body("value", equalTo(1));
    }

    @Test
    void badRequestsAreRefusedAndLeaveNothingBehind() {
        long before = TestDb.count("SELECT COUNT(*) FROM execution");
        as(ALICE).body("{}").post("/api/executions").then().statusCode(400).body("errors[0].field", equalTo("nodes"));
        as(ALICE).body(noop().put("workflow_id", "x").encode()).post("/api/executions").then().statusCode(400)
                .body("errors[0].field", equalTo("workflow_id"));
        as(ALICE).body(noop().put("inputs", "text").encode()).post("/api/executions").then().statusCode(400)
                .body("errors[0].field", equalTo("inputs"));
        as(ALICE).body(noop().put("priority", 10).encode()).post("/api/executions").then().statusCode(400)
                .body("errors[0].field", containsString("priority"));
        as(ALICE).body(noop().put("surprise", 1).encode()).post("/api/executions").then().statusCode(400);
        as(ALICE).body("{\"workflow_id\":\"01900000-0000-7000-8000-000000000000\"}").post("/api/executions").then().statusCode(404);
        as(null).body(noop().encode()).post("/api/executions").then().statusCode(401);
        assertEquals(before, TestDb.count("SELECT COUNT(*) FROM execution"));
    }
}
