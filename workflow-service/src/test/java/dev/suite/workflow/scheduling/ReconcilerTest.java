package dev.suite.workflow.scheduling;

import dev.suite.commons.redis.RedisNames;
import dev.suite.workflow.Graphs;
import dev.suite.workflow.TestDb;
import dev.suite.workflow.Upstreams;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static dev.suite.workflow.Executions.awaitEnd;
import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.Executions.node;
import static dev.suite.workflow.TestUsers.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica that died mid-run, staged in MySQL and Redis as it would leave things: an execution
 * running under its token, one node finished, and a lease that expired (or that Redis lost).
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class ReconcilerTest {

    private static final String GRAPH = Graphs.create()
            .node("first", "noop", null, new JsonObject().put("value", "kept"))
            .node("second", "text_template", config("template", "after {{text}}"))
            .edge("first", "value", "second", "text").output("text", "second", "text").json().encode();

    @Inject
    RedisDataSource redis;
    @Inject
    RedisNames names;

    private String strand(int resumes, boolean interruptRequested, boolean leaseInRedis) {
        String id = UUID.randomUUID().toString();
        LocalDateTime started = LocalDateTime.ofInstant(Instant.now().minusSeconds(20), ZoneOffset.UTC);
        TestDb.update("INSERT INTO execution (execution_id, owner_id, status, priority, graph, inputs, run_token, replica_id, "
                        + "resumes, interrupt_requested, created_at, started_at) VALUES (?,?,'staged',5,?,'{}',?,?,?,?,?,?)",
                id, ALICE, GRAPH, "dead-token", "ghost-replica", resumes, interruptRequested, Timestamp.valueOf(started),
                Timestamp.valueOf(started));
        TestDb.update("INSERT INTO node_run (execution_id, node_id, status, attempts, outputs, started_at, finished_at) "
                + "VALUES (?,'first','completed',1,'{\"value\":\"kept\"}',?,?)", id, Timestamp.valueOf(started), Timestamp.valueOf(started));
        TestDb.update("INSERT INTO node_run (execution_id, node_id, status, attempts, started_at) VALUES (?,'second','running',1,?)",
                id, Timestamp.valueOf(started));
        if (leaseInRedis) {
            redis.sortedSet(String.class).zadd(names.key("workflow", "running"), System.currentTimeMillis() - 1_000, id);
        }
        // Shown running only now, all staged at once: the reconciler must not see it half made.
        TestDb.update("UPDATE execution SET status = 'running' WHERE execution_id = ?", id);
        return id;
    }

    @Test
    void anExecutionWhoseLeaseExpiredResumesFromItsFinishedNodes() {
        String id = strand(0, false, true);
        JsonPath done = awaitEnd(ALICE, id);
        assertEquals("completed", done.getString("status"));
        assertEquals("after kept", done.getString("outputs.text"));
        assertEquals(1, done.getInt("resumes"));
        assertEquals("completed", node(done, "second").get("status"));
        // The finished node was not run again: its row is still the one the dead replica wrote.
        assertEquals(1L, TestDb.count("SELECT COUNT(*) FROM node_run WHERE execution_id = ? AND node_id = 'first' "
                + "AND started_at < UTC_TIMESTAMP() - INTERVAL 10 SECOND", id));
    }

    @Test
    void anExecutionRedisLostTrackOfIsResumedToo() {
        String id = strand(0, false, false);
        assertEquals("completed", awaitEnd(ALICE, id).getString("status"));
    }

    @Test
    void anExecutionLostTooOftenFailsAndOneAskedToStopEndsInterrupted() {
        String tooOften = strand(3, false, true);
        String stopping = strand(0, true, true);
        JsonPath failed = awaitEnd(ALICE, tooOften);
        assertEquals("failed", failed.getString("status"));
        assertTrue(failed.getString("error").startsWith("the execution was lost 4 times"), failed.getString("error"));
        assertEquals("interrupted", node(failed, "second").get("status"));
        assertEquals("interrupted", awaitEnd(ALICE, stopping).getString("status"));
    }

    @Test
    void aQueuedExecutionRedisLostIsQueuedAgain() {
        String id = UUID.randomUUID().toString();
        LocalDateTime created = LocalDateTime.ofInstant(Instant.now().minusSeconds(30), ZoneOffset.UTC);
        TestDb.update("INSERT INTO execution (execution_id, owner_id, status, priority, graph, inputs, created_at) "
                + "VALUES (?,?,'queued',5,?,'{}',?)", id, ALICE, GRAPH, Timestamp.valueOf(created));
        assertEquals("completed", awaitEnd(ALICE, id).getString("status"));
    }
}
