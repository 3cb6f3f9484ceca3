package dev.suite.task.tasks;

import dev.suite.task.Tasks;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.BOB;
import static dev.suite.task.TestUsers.as;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** POST /api/v1/tasks/batch: many tasks in one request, all valid or none stored. */
@QuarkusTest
class TaskBatchTest {

    private static final String BATCH = "/api/v1/tasks/batch";

    @Test
    void aBatchIsQueuedInOrderAndRuns() {
        List<String> ids = as(BOB).body(Map.of("tasks", List.of(Map.of("type", "noop", "priority", 1),
                        Map.of("type", "noop", "params", Map.of("sleep_ms", 5)), Map.of("type", "noop"))))
                .post(BATCH).then().statusCode(201)
                .body("items.state", equalTo(List.of("READY", "READY", "READY")))
                .body("items[0].priority", equalTo(1))
                .extract().path("items.task_id");
        assertEquals(3, ids.stream().distinct().count());
        ids.forEach(id -> Tasks.awaitState(BOB, id, "COMPLETED"));
    }

    @Test
    void oneInvalidTaskStoresNoneAndEachErrorNamesItsTask() {
        String valid = "valid-" + UUID.randomUUID();
        String foreignFile = UUID.randomUUID().toString();
        as(ALICE).body(Map.of("tasks", List.of(Map.of("type", "noop", "idempotency_key", valid), Map.of("type", "nope"),
                        Map.of("type", "noop", "timeout_seconds", 1_000_000_000),
                        Map.of("type", "noop", "idempotency_key", "k"), Map.of("type", "noop", "idempotency_key", "k"))))
                .post(BATCH).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("tasks[1].type", "tasks[2].timeout_seconds",
                        "tasks[4].idempotency_key"));
        as(ALICE).body(Map.of("tasks", List.of(Map.of("type", "noop", "idempotency_key", valid),
                        Map.of("type", "image", "params", Map.of("operation", "thumbnail", "size", 64), "input_file_ids", List.of(foreignFile)))))
                .post(BATCH).then().statusCode(400).body("errors.field", hasItem("tasks[1].input_file_ids"));
        // The valid task of each refused batch was not stored: its key is still free.
        as(ALICE).body(Map.of("type", "noop", "idempotency_key", valid)).post("/api/v1/tasks").then().statusCode(201);
    }

    @Test
    void aBatchHoldsOneToTheMostTasksARequestMayQueue() {
        as(ALICE).body(Map.of("tasks", List.of())).post(BATCH).then().statusCode(400).body("errors[0].field", equalTo("tasks"));
        as(ALICE).body(Map.of()).post(BATCH).then().statusCode(400);
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1_001; i++) {
            tooMany.add(Map.of("type", "noop"));
        }
        as(ALICE).body(Map.of("tasks", tooMany)).post(BATCH).then().statusCode(400).body("errors[0].field", equalTo("tasks"));
    }

    @Test
    void knownIdempotencyKeysAnswerTheEarlierTasks() {
        String key = "batch-" + UUID.randomUUID();
        Map<String, Object> batch = Map.of("tasks", List.of(Map.of("type", "noop", "idempotency_key", key)));
        String first = as(ALICE).body(batch).post(BATCH).then().statusCode(201).extract().path("items[0].task_id");
        as(ALICE).body(batch).post(BATCH).then().statusCode(200).body("items[0].task_id", equalTo(first));
        as(ALICE).body(Map.of("tasks", List.of(Map.of("type", "noop", "idempotency_key", key), Map.of("type", "noop"))))
                .post(BATCH).then().statusCode(201).body("items[0].task_id", equalTo(first));
    }
}
