package dev.suite.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.suite.it.Launcher.call;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Time and people survive the replicas: a schedule ticks on, once per tick, after the replica that
 * held its tick is killed; an execution paused for a person continues on another replica after the
 * one that ran it is killed. Packaged jars, a fresh database each, killed with SIGKILL.
 */
class RestartsIT {

    private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final Launcher launcher = new Launcher();

    @AfterEach
    void stop() throws InterruptedException {
        launcher.close();
    }

    private static long count(String database, String sql) throws Exception {
        return Long.parseLong(Launcher.rows(database, sql).get(0).trim());
    }

    private static void kill(Launcher.Started replica) throws InterruptedException {
        replica.process().destroyForcibly();
        replica.process().waitFor(30, TimeUnit.SECONDS);
    }

    @Test
    void aScheduleTicksOnOncePerTickAfterTheReplicaHoldingItDies() throws Exception {
        assumeTrue(Files.exists(Launcher.jar("task-service")), "needs the JVM package of task-service");
        String database = launcher.freshDatabase("suite_task");
        String prefix = "it-" + UUID.randomUUID() + ":";
        Map<String, String> settings = Map.of("SUITE_TASK_SCHEDULE_LEASE", "2s", "SUITE_TASK_RECONCILE_INTERVAL", "1s",
                "SUITE_TASK_FILES_DIRECTORY", Files.createTempDirectory("restarts-files").toString());
        Launcher.Started first = launcher.start("task-service", database, prefix, Launcher.ALICE_KEY, settings);
        String schedule = Mutations.JSON.readTree(call("POST", first.port(), "/api/v1/schedules",
                "{\"name\":\"each second\",\"cron\":\"* * * * * *\",\"task\":{\"type\":\"noop\"}}", 201))
                .path("schedule_id").asText();
        String made = "SELECT COUNT(*) FROM task WHERE schedule_id = '" + schedule + "'";
        await().atMost(Duration.ofSeconds(20)).until(() -> count(database, made) >= 2);

        kill(first);
        String killedAt = LocalDateTime.now(ZoneOffset.UTC).format(SQL_TIME);
        Launcher.Started second = launcher.start("task-service", database, prefix, Launcher.ALICE_KEY, settings);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(database, made + " AND scheduled_for > '" + killedAt + "'") >= 3);
        assertEquals(0, count(database, "SELECT COUNT(*) - COUNT(DISTINCT scheduled_for) FROM task WHERE schedule_id = '"
                + schedule + "'"), "a tick made twice");
        JsonNode seen = Mutations.JSON.readTree(call("GET", second.port(), "/api/v1/schedules/" + schedule, null, 200));
        assertEquals(count(database, made), seen.path("runs").asLong());
    }

    @Test
    void aPausedExecutionContinuesOnAnotherReplicaAfterTheOneThatRanItDies() throws Exception {
        assumeTrue(Files.exists(Launcher.jar("workflow-service")), "needs the JVM package of workflow-service");
        String database = launcher.freshDatabase("suite_workflow");
        String prefix = "it-" + UUID.randomUUID() + ":";
        Map<String, String> settings = Map.of("SUITE_WORKFLOW_LEASE", "3s", "SUITE_WORKFLOW_RECONCILE_INTERVAL", "1s");
        Launcher.Started first = launcher.start("workflow-service", database, prefix, Launcher.ALICE_KEY, settings);
        String id = Mutations.JSON.readTree(call("POST", first.port(), "/api/executions", """
                {"nodes": [{"id": "ask", "type": "approval", "config": {}, "inputs": {"value": "draft"}},
                           {"id": "publish", "type": "text_template", "config": {"template": "published {{text}}"}}],
                 "edges": [{"id": "e", "source": "ask", "source_handle": "approved", "target": "publish", "target_handle": "text"}],
                 "output_mappings": {"said": {"node_id": "publish", "handle": "text"}}}""", 202)).path("execution_id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> Mutations.JSON.readTree(call("GET", first.port(),
                "/api/executions/" + id, null, 200)).path("status").asText().equals("waiting"));

        kill(first);
        Launcher.Started second = launcher.start("workflow-service", database, prefix, Launcher.ALICE_KEY, settings);
        call("POST", second.port(), "/api/executions/" + id + "/nodes/ask/approve", "{\"data\": \"final\"}", 200);
        await().atMost(Duration.ofSeconds(20)).until(() -> Mutations.JSON.readTree(call("GET", second.port(),
                "/api/executions/" + id, null, 200)).path("status").asText().equals("completed"));
        JsonNode done = Mutations.JSON.readTree(call("GET", second.port(), "/api/executions/" + id, null, 200));
        assertEquals("published final", done.path("outputs").path("said").asText());
    }
}
