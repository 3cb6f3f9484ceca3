package dev.suite.task.tasks;

import dev.suite.task.Tasks;
import dev.suite.task.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import dev.suite.task.queue.Reconciler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.BOB;
import static dev.suite.task.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class TaskLifecycleTest {

    @Inject
    Reconciler reconciler;

    @Test
    void aTaskRunsToCompletionWithEveryTransitionRecorded() {
        String id = Tasks.create(ALICE, Map.of("type", "noop", "params", Map.of("sleep_ms", 100)));
        JsonPath done = Tasks.awaitState(ALICE, id, "COMPLETED");
        assertEquals(100, done.getInt("progress"));
        assertEquals(1, done.getInt("attempts"));
        assertEquals(100, done.getInt("result.slept_ms"));
        assertEquals(List.of("IDLE", "READY", "PROCESSING", "COMPLETED"), done.getList("history.to"));
        assertTrue(done.getString("started_at") != null && done.getString("finished_at") != null);
    }

    @Test
    void badTasksAreRefusedWithEveryProblemListed() {
        as(ALICE).body(Map.of("type", "teleport", "priority", 10)).post("/api/v1/tasks").then().statusCode(400)
                .body("errors.field", hasItems("type", "priority"));
        as(ALICE).body(Map.of("type", "noop", "params", List.of(1))).post("/api/v1/tasks").then().statusCode(400)
                .body("errors.field", hasItems("params"));
        as(ALICE).body(Map.of("type", "noop", "params", Map.of("sleep_ms", 10_000_000))).post("/api/v1/tasks").then()
                .statusCode(400).body("errors.field", hasItems("params.sleep_ms"));
        as(ALICE).body(Map.of("type", "noop", "input_file_ids", List.of("01a2058b-92b1-74a8-b3a1-ceec275fa944")))
                .post("/api/v1/tasks").then().statusCode(400).body("errors.field", hasItems("input_file_ids"));
        as(ALICE).body(Map.of("type", "noop", "max_retries", 1000)).post("/api/v1/tasks").then().statusCode(400);
        // Uploads may be large; JSON bodies may not.
        as(ALICE).body(Map.of("type", "noop", "params", Map.of("pad", "x".repeat(1_100_000)))).post("/api/v1/tasks")
                .then().statusCode(413).contentType("application/problem+json");
    }

    @Test
    void anIdempotencyKeyReturnsTheFirstTask() {
        Map<String, Object> body = Map.of("type", "noop", "idempotency_key", "upload-42");
        String first = as(ALICE).body(body).post("/api/v1/tasks").then().statusCode(201).extract().path("task_id");
        as(ALICE).body(body).post("/api/v1/tasks").then().statusCode(200).body("task_id", equalTo(first));
        // Keys are per user.
        as(BOB).body(body).post("/api/v1/tasks").then().statusCode(201);
    }

    @Test
    void anotherUserGetsNotFound() {
        String id = Tasks.create(ALICE, Map.of("type", "noop"));
        as(BOB).get("/api/v1/tasks/" + id).then().statusCode(404);
        as(BOB).delete("/api/v1/tasks/" + id).then().statusCode(404);
        as(BOB).put("/api/v1/tasks/" + id + "/pause").then().statusCode(404);
        as(BOB).put("/api/v1/tasks/" + id + "/resume").then().statusCode(404);
        as(BOB).get("/api/v1/tasks/" + id + "/events").then().statusCode(404);
        as(BOB).queryParam("limit", 200).get("/api/v1/tasks").then().statusCode(200)
                .body("items.task_id", org.hamcrest.Matchers.not(hasItems(id)));
    }

    @Test
    void cancelIsImmediateWhenQueuedAndStopsTheWorkWhenRunning() {
        // Fill every worker (4 in tests) with long tasks, so the next one waits in the queue.
        List<String> blockers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            blockers.add(Tasks.create(ALICE, Map.of("type", "noop", "priority", 9, "params", Map.of("sleep_ms", 20_000))));
        }
        blockers.forEach(id -> Tasks.awaitState(ALICE, id, "PROCESSING"));
        String queued = Tasks.create(ALICE, Map.of("type", "noop", "priority", 0));
        as(ALICE).delete("/api/v1/tasks/" + queued).then().statusCode(200).body("state", equalTo("CANCELLED"));
        String paused = Tasks.create(ALICE, Map.of("type", "noop", "priority", 0));
        as(ALICE).put("/api/v1/tasks/" + paused + "/pause").then().statusCode(200).body("state", equalTo("PAUSED"));
        long start = System.currentTimeMillis();
        for (String id : blockers) {
            // 202 however quickly the worker obeys: the status says a worker was asked.
            as(ALICE).delete("/api/v1/tasks/" + id).then().statusCode(202);
        }
        blockers.forEach(id -> Tasks.awaitState(ALICE, id, "CANCELLED"));
        assertTrue(System.currentTimeMillis() - start < 15_000, "running tasks stopped, not waited out");
        as(ALICE).put("/api/v1/tasks/" + paused + "/resume").then().statusCode(200).body("state", equalTo("READY"));
        Tasks.awaitState(ALICE, paused, "COMPLETED");
        // Finished tasks take no more transitions.
        as(ALICE).delete("/api/v1/tasks/" + paused).then().statusCode(409);
        as(ALICE).put("/api/v1/tasks/" + paused + "/pause").then().statusCode(409);
        as(ALICE).put("/api/v1/tasks/" + paused + "/resume").then().statusCode(409);
    }

    @Test
    void aFailedAttemptIsRetriedWithBackoffUntilItSucceeds() {
        String id = Tasks.create(ALICE, Map.of("type", "flaky", "max_retries", 3, "params", Map.of("fail_times", 2)));
        JsonPath done = Tasks.awaitState(ALICE, id, "COMPLETED");
        assertEquals(3, done.getInt("attempts"));
        assertEquals(3, done.getInt("result.attempt"));
        assertEquals(2, done.getList("history.to").stream().filter("RETRY_WAIT"::equals).count());
    }

    @Test
    void exhaustedTasksAreKeptWithTheirError() {
        String id = Tasks.create(ALICE, Map.of("type", "flaky", "max_retries", 1, "params", Map.of("fail_times", 5)));
        JsonPath failed = Tasks.awaitState(ALICE, id, "FAILED");
        assertEquals(2, failed.getInt("attempts"));
        assertTrue(failed.getString("error").contains("flaky failure on attempt 2"));
    }

    @Test
    void anAttemptPastItsTimeoutIsStoppedAndFails() {
        String id = Tasks.create(ALICE, Map.of("type", "noop", "timeout_seconds", 1, "max_retries", 0,
                "params", Map.of("sleep_ms", 30_000)));
        JsonPath failed = Tasks.awaitState(ALICE, id, "FAILED");
        assertTrue(failed.getString("error").contains("Timed out after 1 s"), failed.getString("error"));
    }

    @Test
    void aTaskWhoseWorkerDiedIsReclaimedAndRetried() {
        String id = Tasks.create(ALICE, Map.of("type", "noop", "priority", 0, "params", Map.of("sleep_ms", 1)));
        Tasks.awaitState(ALICE, id, "COMPLETED");
        // As if a replica had claimed it and died: PROCESSING under a lease that ran out.
        TestDb.update("UPDATE task SET state = 'PROCESSING', lease_owner = 'replica-gone', lease_until = NOW(6) - INTERVAL 1 MINUTE, "
                + "attempts = 1, finished_at = NULL WHERE task_id = ?", id);
        reconciler.reconcile().await().indefinitely();
        JsonPath again = Tasks.awaitState(ALICE, id, "COMPLETED");
        assertEquals(2, again.getInt("attempts"));
        assertTrue(again.getList("history.reason").contains("lease expired: its worker was gone"));
    }

    @Test
    void tasksAreListedNewestFirstAndFiltered() {
        String a = Tasks.create(BOB, Map.of("type", "noop"));
        String b = Tasks.create(BOB, Map.of("type", "flaky"));
        as(BOB).queryParam("type", "flaky").get("/api/v1/tasks").then().statusCode(200).body("items[0].task_id", equalTo(b));
        as(BOB).queryParam("state", "NOPE").get("/api/v1/tasks").then().statusCode(400).body("errors.field", hasItems("state"));
        Tasks.awaitState(BOB, a, "COMPLETED");
        as(BOB).queryParam("state", "COMPLETED").get("/api/v1/tasks").then().body("items.task_id", hasItems(a));
        as(BOB).get("/api/v1/stats").then().statusCode(200).body("by_type.noop.COMPLETED", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("run_time_ms.sample", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("queue_depth", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void theEventFeedShowsTheTaskUntilItFinishes() {
        String id = Tasks.create(ALICE, Map.of("type", "noop", "params", Map.of("sleep_ms", 600)));
        String stream = as(ALICE).header("Accept", "text/event-stream").get("/api/v1/tasks/" + id + "/events")
                .then().statusCode(200).extract().asString();
        assertTrue(stream.contains("\"state\":\"COMPLETED\""), stream);
        assertTrue(stream.indexOf("\"task_id\":\"" + id + "\"") >= 0, stream);
        as(ALICE).get("/q/metrics").then().statusCode(200).body(containsString("task_run_seconds"));
    }
}
