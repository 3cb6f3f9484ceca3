package dev.suite.workflow.executions;

import dev.suite.commons.testing.PrivateRedis;
import dev.suite.workflow.Executions;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis only dispatches; MySQL holds the executions. While Redis is away submissions are still
 * accepted — the submission limit counted in this replica — and they run once Redis is back.
 */
@QuarkusTest
@WithTestResource(PrivateRedis.class)
@TestProfile(RedisOutageTest.TwoSubmissions.class)
class RedisOutageTest {

    private static final JsonObject GRAPH = new JsonObject(
            "{\"nodes\":[{\"id\":\"a\",\"type\":\"delay\",\"config\":{\"ms\":1}}],\"edges\":[]}");

    public static class TwoSubmissions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("suite.workflow.submits-per-minute", "2", "suite.workflow.reconcile-interval", "1s");
        }
    }

    @Test
    void submissionsAreAcceptedWhileRedisIsAwayAndRunWhenItIsBack() {
        List<String> submitted;
        PrivateRedis.stopServer();
        try {
            submitted = List.of(Executions.submit(ALICE, GRAPH), Executions.submit(ALICE, GRAPH));
            as(ALICE).body(GRAPH.encode()).post("/api/executions").then().statusCode(429);
            for (String id : submitted) {
                assertEquals("queued", Executions.get(ALICE, id).getString("status"));
            }
        } finally {
            PrivateRedis.startServer();
        }
        for (String id : submitted) {
            assertEquals("completed", Executions.awaitEnd(ALICE, id).getString("status"));
        }
    }
}
