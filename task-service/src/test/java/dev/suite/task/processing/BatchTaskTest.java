package dev.suite.task.processing;

import dev.suite.task.Tasks;
import dev.suite.task.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class BatchTaskTest {

    private static Map<String, Object> noop(int sleepMs) {
        return Map.of("type", "noop", "params", Map.of("sleep_ms", sleepMs));
    }

    private static String batch(List<Map<String, Object>> items, String policy) {
        return as(ALICE).body(Map.of("params", Map.of("items", items, "failure_policy", policy), "timeout_seconds", 120))
                .post("/api/v1/process/batch").then().statusCode(201).extract().path("task_id");
    }

    private static long children(String batchId) {
        return TestDb.count("SELECT COUNT(*) FROM task WHERE parent_id = ?", batchId);
    }

    @Test
    void aBatchRunsItsItemsAsChildTasks() {
        String id = batch(List.of(noop(100), noop(100), noop(100)), "continue");
        JsonPath done = Tasks.awaitState(ALICE, id, "COMPLETED");
        assertEquals(3, done.getInt("result.completed"));
        assertEquals(100, done.getInt("progress"));
        assertEquals(3, children(id));
        String child = done.getString("result.items[1].task_id");
        assertEquals(id, Tasks.get(ALICE, child).getString("parent_id"));
    }

    @Test
    void batchesHoldNoWorkerTheirItemsOrOtherTasksNeed() {
        // More batches than this replica has workers (4 in tests): a batch holding a worker while it
        // waits for its item would leave none for the items, and every batch would time out.
        // Queued in one request, so that a replica with free workers would take them all at once.
        List<Map<String, Object>> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(Map.of("type", "batch", "timeout_seconds", 120,
                    "params", Map.of("items", List.of(noop(300)), "failure_policy", "continue")));
        }
        List<String> batches = as(ALICE).body(Map.of("tasks", six)).post("/api/v1/tasks/batch").then().statusCode(201)
                .extract().path("items.task_id");
        String plain = Tasks.create(ALICE, Map.of("type", "noop"));
        Tasks.awaitState(ALICE, plain, "COMPLETED");
        batches.forEach(id -> Tasks.awaitState(ALICE, id, "COMPLETED"));
    }

    @Test
    void aPausedBatchStopsBetweenItemsAndResumesWhereItWas() {
        String id = batch(List.of(noop(700), noop(700), noop(700), noop(700)), "continue");
        await().atMost(Duration.ofSeconds(30)).until(() -> TestDb.count(
                "SELECT COUNT(*) FROM task WHERE parent_id = ? AND state = 'COMPLETED'", id) >= 1);
        // 202 while the batch runs an item; 200 when the pause lands between two runs of the batch.
        as(ALICE).put("/api/v1/tasks/" + id + "/pause").then().statusCode(anyOf(is(202), is(200)));
        JsonPath paused = Tasks.awaitState(ALICE, id, "PAUSED");
        assertTrue(paused.getList("history.reason").contains("paused at a checkpoint"));
        long made = children(id);
        assertTrue(made < 4, "the batch stopped before its last item");
        as(ALICE).put("/api/v1/tasks/" + id + "/resume").then().statusCode(200);
        JsonPath done = Tasks.awaitState(ALICE, id, "COMPLETED");
        assertEquals(4, done.getInt("result.completed"));
        // Nothing started twice: one child per item.
        assertEquals(4, children(id));
    }

    @Test
    void theFailurePolicyDecidesWhatAFailedItemDoes() {
        Map<String, Object> failing = Map.of("type", "flaky", "params", Map.of("fail_times", 9));
        String carryOn = batch(List.of(noop(1), failing, noop(1)), "continue");
        JsonPath done = Tasks.awaitState(ALICE, carryOn, "COMPLETED");
        assertEquals(2, done.getInt("result.completed"));
        assertEquals(1, done.getInt("result.failed"));
        String stop = batch(List.of(noop(1), failing, noop(1)), "fail_fast");
        JsonPath failed = Tasks.awaitState(ALICE, stop, "FAILED");
        assertTrue(failed.getString("error").startsWith("Item 1 failed"), failed.getString("error"));
        assertEquals(2, children(stop));
    }

    @Test
    void cancellingABatchCancelsItsRunningItem() {
        String id = batch(List.of(noop(30_000), noop(1)), "continue");
        await().atMost(Duration.ofSeconds(30)).until(() -> TestDb.count(
                "SELECT COUNT(*) FROM task WHERE parent_id = ? AND state = 'PROCESSING'", id) == 1);
        as(ALICE).delete("/api/v1/tasks/" + id).then().statusCode(202);
        Tasks.awaitState(ALICE, id, "CANCELLED");
        String child = (String) TestDb.query("SELECT task_id FROM task WHERE parent_id = ?", id).get(0).get("task_id");
        Tasks.awaitState(ALICE, child, "CANCELLED");
        assertEquals(1, children(id));
    }

    @Test
    void badBatchesAreRefusedUpFront() {
        as(ALICE).body(Map.of("params", Map.of("items", List.of(Map.of("type", "batch"), Map.of("type", "image",
                        "params", Map.of("operation", "melt"))), "failure_policy", "whatever")))
                .post("/api/v1/process/batch").then().statusCode(400)
                .body("errors.field", hasItems("params.items[0].type", "params.items[1].params.operation",
                        "params.failure_policy"));
        as(ALICE).body(Map.of("params", Map.of("items", List.of()))).post("/api/v1/process/batch").then().statusCode(400);
    }
}
