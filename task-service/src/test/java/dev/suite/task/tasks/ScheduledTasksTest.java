package dev.suite.task.tasks;

import dev.suite.task.TestDb;
import dev.suite.task.Tasks;
import dev.suite.task.queue.Reconciler;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delayed starts: a task with a later run_at waits SCHEDULED, then runs at its time, on any replica. */
@QuarkusTest
class ScheduledTasksTest {

    @Inject
    Reconciler reconciler;

    @Test
    void aTaskWaitsUntilItsRunAtThenRuns() {
        Instant runAt = Instant.now().plusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
        String id = as(ALICE).body(Map.of("type", "noop", "run_at", runAt.toString())).post("/api/v1/tasks")
                .then().statusCode(201).body("state", equalTo("SCHEDULED")).body("run_after", equalTo(runAt.toString()))
                .extract().path("task_id");
        JsonPath done = Tasks.awaitState(ALICE, id, "COMPLETED");
        Instant started = Instant.parse(done.getString("started_at"));
        assertFalse(started.isBefore(runAt), "started at " + started + ", before its run_at " + runAt);
        List<String> reasons = done.getList("history.reason");
        assertTrue(reasons.contains("waits until " + runAt) && reasons.contains("its start time came"), reasons.toString());
    }

    @Test
    void aFarOffStartIsTakenByTheReconcilerOnWhicheverReplicaHoldsIt() {
        String id = as(ALICE).body(Map.of("type", "noop", "run_at", Instant.now().plus(Duration.ofHours(2)).toString()))
                .post("/api/v1/tasks").then().statusCode(201).body("state", equalTo("SCHEDULED")).extract().path("task_id");
        // Still waiting: its priority may change, and it counts as unfinished.
        as(ALICE).body(Map.of("priority", 8)).patch("/api/v1/tasks/" + id).then().statusCode(200).body("priority", equalTo(8));
        // Its time comes (as if two hours passed): no timer of this replica holds it, the round does.
        TestDb.update("UPDATE task SET run_after = ? WHERE task_id = ?", java.time.LocalDateTime.now(java.time.ZoneOffset.UTC)
                .minusSeconds(1), id);
        reconciler.reconcile().await().atMost(Duration.ofSeconds(10));
        Tasks.awaitState(ALICE, id, "COMPLETED");
    }

    @Test
    void aScheduledTaskCanBeCancelledAndRunAtIsBounded() {
        String id = as(ALICE).body(Map.of("type", "noop", "run_at", Instant.now().plus(Duration.ofDays(1)).toString()))
                .post("/api/v1/tasks").then().statusCode(201).extract().path("task_id");
        as(ALICE).delete("/api/v1/tasks/" + id).then().statusCode(200).body("state", equalTo("CANCELLED"));
        as(ALICE).body(Map.of("type", "noop", "run_at", Instant.now().plus(Duration.ofDays(800)).toString()))
                .post("/api/v1/tasks").then().statusCode(400).body("errors.field", hasItem("run_at"));
        as(ALICE).body(Map.of("type", "noop", "run_at", "next tuesday")).post("/api/v1/tasks").then().statusCode(400);
        // In a batch, each task on its own: one waits, one is queued at once (a past run_at).
        JsonPath batch = as(ALICE).body(Map.of("tasks", List.of(
                        Map.of("type", "noop", "run_at", Instant.now().plus(Duration.ofHours(1)).toString()),
                        Map.of("type", "noop", "run_at", Instant.now().minusSeconds(60).toString()))))
                .post("/api/v1/tasks/batch").then().statusCode(201).extract().jsonPath();
        assertEquals(List.of("SCHEDULED", "READY"), batch.getList("items.state"));
        as(ALICE).delete("/api/v1/tasks/" + batch.getString("items[0].task_id")).then().statusCode(200);
    }
}
