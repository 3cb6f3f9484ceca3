package dev.suite.task.tasks;

import dev.suite.task.Files;
import dev.suite.task.Tasks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.BOB;
import static dev.suite.task.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@TestProfile(TaskLimitsTest.Tight.class)
class TaskLimitsTest {

    /** Three creates a minute, two unfinished tasks, one worker, 3 MB of files per user. */
    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("suite.task.creates-per-minute", "3", "suite.task.max-active-per-user", "2",
                    "suite.task.max-workers", "1", "suite.task.files.max-stored-bytes-per-user", "3000000");
        }
    }

    @Test
    void aFullQueueAndTooManyCreatesAreRefusedWith429() {
        Tasks.create(ALICE, Map.of("type", "noop", "params", Map.of("sleep_ms", 20_000)));
        Tasks.create(ALICE, Map.of("type", "noop", "params", Map.of("sleep_ms", 20_000)));
        as(ALICE).body(Map.of("type", "noop")).post("/api/v1/tasks").then().statusCode(429)
                .header("Retry-After", notNullValue()).contentType("application/problem+json");
        as(ALICE).body(Map.of("type", "noop")).post("/api/v1/tasks").then().statusCode(429)
                .header("Retry-After", notNullValue());
        // Limits are per user.
        Tasks.create(BOB, Map.of("type", "noop"));
    }

    @Test
    void aUsersFilesStopAtTheStorageQuota() {
        byte[] half = new byte[1_600_000];
        Files.upload(BOB, "a.bin", "application/octet-stream", half).statusCode(201);
        Files.upload(BOB, "b.bin", "application/octet-stream", half).statusCode(413)
                .contentType("application/problem+json").body("detail", containsString("Storage quota"));
        // Another user's quota is their own.
        Files.upload(ALICE, "c.bin", "application/octet-stream", half).statusCode(201);
    }
}
