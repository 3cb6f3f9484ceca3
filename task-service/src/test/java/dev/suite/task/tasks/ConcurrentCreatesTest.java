package dev.suite.task.tasks;

import dev.suite.commons.testing.Race;
import dev.suite.task.Tasks;
import dev.suite.task.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.BOB;
import static dev.suite.task.TestUsers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Creates that arrive together are written in shared transactions: each caller still gets its own
 * task, with its own history, and one caller's duplicate key fails nobody else.
 */
@QuarkusTest
class ConcurrentCreatesTest {

    private static final int CALLERS = 48;

    @Test
    void concurrentCreatesOfTwoUsersEachGetTheirOwnTaskAndHistory() throws Exception {
        List<Response> answers = Race.each(CALLERS, i -> as(i % 2 == 0 ? ALICE : BOB)
                .body(Map.of("type", "noop", "priority", i % 10)).post("/api/v1/tasks"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            Response answer = answers.get(i);
            assertEquals(201, answer.statusCode(), answer.asString());
            assertEquals(i % 10, answer.jsonPath().getInt("priority"));
            ids.add(answer.jsonPath().getString("task_id"));
        }
        assertEquals(CALLERS, ids.stream().distinct().count());
        for (int i = 0; i < CALLERS; i++) {
            JsonPath done = Tasks.awaitState(i % 2 == 0 ? ALICE : BOB, ids.get(i), "COMPLETED");
            assertEquals(List.of("IDLE", "READY", "PROCESSING", "COMPLETED"), done.getList("history.to"));
            assertEquals(List.of("created", "queued", "claimed", "completed"), done.getList("history.reason"));
        }
        // Nobody sees another user's task.
        as(BOB).get("/api/v1/tasks/" + ids.get(0)).then().statusCode(404);
    }

    @Test
    void aDuplicateKeyInASharedCommitFailsOnlyItsOwnCreate() throws Exception {
        String key = "shared-" + UUID.randomUUID();
        // Every third caller sends the same new key; the others none.
        List<Response> answers = Race.each(CALLERS, i -> as(ALICE)
                .body(i % 3 == 0 ? Map.of("type", "noop", "idempotency_key", key) : Map.of("type", "noop"))
                .post("/api/v1/tasks"));
        List<String> keyed = new ArrayList<>();
        int created = 0;
        for (int i = 0; i < CALLERS; i++) {
            Response answer = answers.get(i);
            assertTrue(answer.statusCode() == 201 || i % 3 == 0 && answer.statusCode() == 200, answer.asString());
            created += answer.statusCode() == 201 ? 1 : 0;
            if (i % 3 == 0) {
                keyed.add(answer.jsonPath().getString("task_id"));
            }
        }
        assertEquals(1, keyed.stream().distinct().count(), "every caller with the key got the one task: " + keyed);
        assertEquals(CALLERS - CALLERS / 3 + 1, created);
        assertEquals(1, TestDb.count("SELECT COUNT(*) FROM task WHERE idempotency_key = ?", key));
    }
}
