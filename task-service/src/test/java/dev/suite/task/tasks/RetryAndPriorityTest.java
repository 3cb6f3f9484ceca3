package dev.suite.task.tasks;

import dev.suite.task.Files;
import dev.suite.task.Images;
import dev.suite.task.Tasks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.BOB;
import static dev.suite.task.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dead letters (FAILED tasks) queued again, and the priority of a task that has not started. */
@QuarkusTest
class RetryAndPriorityTest {

    private static String failingImageTask(String user) {
        String file = Files.uploaded(user, "broken.jpg", "image/jpeg", Images.corruptJpeg());
        return as(user).body(Map.of("input_file_ids", List.of(file), "max_retries", 0,
                        "params", Map.of("operation", "thumbnail", "size", 10)))
                .post("/api/v1/process/image").then().statusCode(201).extract().path("task_id");
    }

    @Test
    void failedTasksAreListedWithTheirErrorAndRetriedAsASet() {
        String failed = failingImageTask(ALICE);
        Tasks.awaitState(ALICE, failed, "FAILED");
        String done = Tasks.create(ALICE, Map.of("type", "noop"));
        Tasks.awaitState(ALICE, done, "COMPLETED");
        String bobs = failingImageTask(BOB);
        Tasks.awaitState(BOB, bobs, "FAILED");

        as(ALICE).queryParam("state", "FAILED").get("/api/v1/tasks").then().statusCode(200)
                .body("items.task_id", hasItem(failed))
                .body("items.find { it.task_id == '" + failed + "' }.error", containsString("not a readable image"));

        String missing = UUID.randomUUID().toString();
        JsonPath answer = as(ALICE).body(Map.of("task_ids", List.of(failed, done, bobs, missing)))
                .post("/api/v1/tasks/retry").then().statusCode(200).extract().jsonPath();
        // (A worker may take it before the answer is read: its attempts then already count this run.)
        assertEquals(List.of(failed), answer.getList("retried.task_id"));
        assertEquals(Map.of(done, "it is COMPLETED, not FAILED", bobs, "no such task of yours",
                        missing, "no such task of yours"),
                Map.of(answer.getString("not_retried[0].task_id"), answer.getString("not_retried[0].reason"),
                        answer.getString("not_retried[1].task_id"), answer.getString("not_retried[1].reason"),
                        answer.getString("not_retried[2].task_id"), answer.getString("not_retried[2].reason")));
        // It runs again (and, its input being broken, fails again) with its attempts counted afresh:
        // one, not two; its history tells both runs.
        JsonPath again = Tasks.awaitState(ALICE, failed, "FAILED");
        assertEquals(1, again.getInt("attempts"));
        List<String> reasons = again.getList("history.reason");
        assertTrue(reasons.contains("retried by its owner"), reasons.toString());
        assertEquals("FAILED", Tasks.get(BOB, bobs).getString("state"), "another user's task is left alone");

        as(ALICE).body(Map.of("task_ids", List.of())).post("/api/v1/tasks/retry").then().statusCode(400)
                .body("errors.field", hasItem("task_ids"));
        as(ALICE).body(Map.of("task_ids", List.of("../etc"))).post("/api/v1/tasks/retry").then().statusCode(400)
                .body("errors.field", hasItem("task_ids"));
    }

    @Test
    void onlyATaskThatHasNotStartedChangesPriority() {
        String task = Tasks.create(ALICE, Map.of("type", "noop", "priority", 2, "params", Map.of("sleep_ms", 20_000)));
        Tasks.awaitState(ALICE, task, "PROCESSING");
        as(ALICE).body(Map.of("priority", 9)).patch("/api/v1/tasks/" + task).then().statusCode(409)
                .body("detail", containsString("PROCESSING"));

        as(ALICE).put("/api/v1/tasks/" + task + "/pause").then().statusCode(org.hamcrest.Matchers.anyOf(
                equalTo(200), equalTo(202)));
        Tasks.awaitState(ALICE, task, "PAUSED");
        as(ALICE).contentType("application/merge-patch+json").body(Map.of("priority", 9))
                .patch("/api/v1/tasks/" + task).then().statusCode(200).body("priority", equalTo(9));
        as(BOB).body(Map.of("priority", 1)).patch("/api/v1/tasks/" + task).then().statusCode(404);
        as(ALICE).body(Map.of("priority", 10, "state", "READY")).patch("/api/v1/tasks/" + task).then().statusCode(400);
        as(ALICE).body(Map.of("priority", 12)).patch("/api/v1/tasks/" + task).then().statusCode(400)
                .body("errors.field", hasItems("priority"));
        assertEquals(9, Tasks.get(ALICE, task).getInt("priority"));
        as(ALICE).delete("/api/v1/tasks/" + task).then().statusCode(200);
    }
}
