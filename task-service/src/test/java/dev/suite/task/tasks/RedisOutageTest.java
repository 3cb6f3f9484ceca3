package dev.suite.task.tasks;

import dev.suite.commons.testing.PrivateRedis;
import dev.suite.task.Tasks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis only dispatches; MySQL holds the tasks. While Redis is away creates are still accepted —
 * the create limit counted in this replica — and the tasks run once Redis is back, without anyone
 * asking again.
 */
@QuarkusTest
@WithTestResource(PrivateRedis.class)
@TestProfile(RedisOutageTest.ThreeCreates.class)
class RedisOutageTest {

    public static class ThreeCreates implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("suite.task.creates-per-minute", "3");
        }
    }

    @Test
    void createsAreAcceptedWhileRedisIsAwayAndRunWhenItIsBack() {
        Map<String, Object> noop = Map.of("type", "noop");
        List<String> created;
        PrivateRedis.stopServer();
        try {
            created = List.of(Tasks.create(ALICE, noop), Tasks.create(ALICE, noop), Tasks.create(ALICE, noop));
            as(ALICE).body(noop).post("/api/v1/tasks").then().statusCode(429);
            for (String id : created) {
                assertEquals("READY", Tasks.get(ALICE, id).getString("state"));
            }
        } finally {
            PrivateRedis.startServer();
        }
        for (String id : created) {
            Tasks.awaitState(ALICE, id, "COMPLETED");
        }
    }
}
