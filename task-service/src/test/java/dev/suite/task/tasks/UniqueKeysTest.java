package dev.suite.task.tasks;

import dev.suite.commons.testing.Race;
import dev.suite.task.TestDb;
import dev.suite.task.queue.Reconciler;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.BOB;
import static dev.suite.task.TestUsers.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** unique_key: within its window a duplicate create answers the task holding the key; after it, the key is free. */
@QuarkusTest
class UniqueKeysTest {

    @Inject
    Reconciler reconciler;

    private static Response create(String user, String key) {
        return as(user).body(Map.of("type", "noop", "unique_key", key, "unique_for_seconds", 600)).post("/api/v1/tasks");
    }

    @Test
    void aDuplicateWithinTheWindowAnswersTheHolderAndAfterItANewTaskIsQueued() {
        String key = "thumbs-" + UUID.randomUUID();
        String first = create(ALICE, key).then().statusCode(201).body("unique_key", equalTo(key))
                .body("unique_until", notNullValue()).extract().path("task_id");
        create(ALICE, key).then().statusCode(200).body("task_id", equalTo(first));
        // Another user's key is their own.
        String bobs = create(BOB, key).then().statusCode(201).extract().path("task_id");
        as(ALICE).get("/api/v1/tasks/" + bobs).then().statusCode(404);

        // The window closes (as if ten minutes passed): the key queues a new task, then holds for that one.
        TestDb.update("UPDATE task_unique SET until = ? WHERE owner_id = ? AND unique_key = ?",
                LocalDateTime.now(ZoneOffset.UTC).minusSeconds(1), ALICE, key);
        String second = create(ALICE, key).then().statusCode(201).body("task_id", not(equalTo(first)))
                .extract().path("task_id");
        create(ALICE, key).then().statusCode(200).body("task_id", equalTo(second));
    }

    @Test
    void racingDuplicatesQueueOneTask() throws Exception {
        String key = "race-" + UUID.randomUUID();
        List<Response> answers = Race.each(24, i -> create(ALICE, key));
        assertEquals(1, answers.stream().filter(a -> a.statusCode() == 201).count());
        assertEquals(23, answers.stream().filter(a -> a.statusCode() == 200).count());
        assertEquals(1, answers.stream().map(a -> a.jsonPath().getString("task_id")).distinct().count());
        assertEquals(1, TestDb.count("SELECT COUNT(*) FROM task WHERE owner_id = ? AND unique_key = ?", ALICE, key));
    }

    @Test
    void inABatchTheKeyHoldsAcrossItsItemsAndAgainstEarlierTasks() {
        String held = "held-" + UUID.randomUUID();
        String fresh = "fresh-" + UUID.randomUUID();
        String holder = create(ALICE, held).then().statusCode(201).extract().path("task_id");
        JsonPath batch = as(ALICE).body(Map.of("tasks", List.of(
                        Map.of("type", "noop", "unique_key", fresh),
                        Map.of("type", "noop", "unique_key", fresh),
                        Map.of("type", "noop", "unique_key", held),
                        Map.of("type", "noop"))))
                .post("/api/v1/tasks/batch").then().statusCode(201).extract().jsonPath();
        List<String> ids = batch.getList("items.task_id");
        assertEquals(ids.get(0), ids.get(1));
        assertEquals(holder, ids.get(2));
        assertEquals(3, ids.stream().distinct().count());
        assertEquals(1, TestDb.count("SELECT COUNT(*) FROM task WHERE unique_key = ?", fresh));
    }

    @Test
    void theWindowIsCheckedAndExpiredClaimsAreSwept() {
        as(ALICE).body(Map.of("type", "noop", "unique_for_seconds", 60)).post("/api/v1/tasks")
                .then().statusCode(400).body("errors.field", hasItem("unique_for_seconds"));
        as(ALICE).body(Map.of("type", "noop", "unique_key", "k", "unique_for_seconds", 90 * 86_400)).post("/api/v1/tasks")
                .then().statusCode(400).body("errors.field", hasItem("unique_for_seconds"));
        as(ALICE).body(Map.of("type", "noop", "unique_key", "x".repeat(129))).post("/api/v1/tasks")
                .then().statusCode(400).body("errors.field", hasItem("unique_key"));

        String key = "swept-" + UUID.randomUUID();
        create(ALICE, key).then().statusCode(201);
        TestDb.update("UPDATE task_unique SET until = ? WHERE unique_key = ?", LocalDateTime.now(ZoneOffset.UTC).minusSeconds(1), key);
        reconciler.reconcile().await().atMost(Duration.ofSeconds(10));
        assertEquals(0, TestDb.count("SELECT COUNT(*) FROM task_unique WHERE unique_key = ?", key));
    }
}
