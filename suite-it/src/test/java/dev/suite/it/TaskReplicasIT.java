package dev.suite.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.suite.it.Launcher.call;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two task-service replicas sharing MySQL and Redis; one is killed with SIGKILL while both are
 * busy — running tasks, or committing creates in shared transactions. Every task still completes —
 * the dead replica's tasks once their leases lapse — and none completes twice.
 */
class TaskReplicasIT {

    private static final int TASKS = 12;
    private final Launcher launcher = new Launcher();

    @AfterEach
    void stop() throws InterruptedException {
        launcher.close();
    }

    @Test
    void aReplicaKilledMidTaskLosesNothingAndCompletesNothingTwice() throws Exception {
        Assumptions.assumeTrue(Files.exists(Launcher.jar("task-service")), "needs the JVM package of task-service");
        Path files = Files.createTempDirectory("task-files");
        // Its own database: tasks other tests left queued would fill the workers this test counts.
        String database = launcher.freshDatabase("suite_task_it");
        Map<String, String> settings = Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "mysql://127.0.0.1:3306/" + database,
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mariadb://127.0.0.1:3306/" + database,
                "SUITE_REDIS_PREFIX", "it-" + UUID.randomUUID() + ":",
                "SUITE_TASK_FILES_DIRECTORY", files.toString(),
                "SUITE_TASK_LEASE", "3s", "SUITE_TASK_RECONCILE_INTERVAL", "1s", "MAX_WORKERS", "4");
        int a = launcher.service("task-service", settings);
        Launcher.Started b = launcher.start("task-service", settings);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            ids.add(field(call("POST", a, "/api/v1/tasks",
                    "{\"type\":\"noop\",\"max_retries\":3,\"params\":{\"sleep_ms\":3000}}", 201), "task_id"));
        }
        // Both replicas full: four running on each.
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().filter(id -> state(a, id).equals("PROCESSING")).count() == 8);
        b.process().destroyForcibly();
        assertTrue(b.process().waitFor(10, TimeUnit.SECONDS));

        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> state(a, id).equals("COMPLETED")));
        int reclaimed = 0;
        for (String id : ids) {
            String task = call("GET", a, "/api/v1/tasks/" + id, null, 200);
            assertEquals(1, count(task, "\"to\":\"COMPLETED\""), task);
            reclaimed += task.contains("lease expired: its worker was gone") ? 1 : 0;
        }
        assertTrue(reclaimed >= 1, "the killed replica's tasks were reclaimed");
    }

    @Test
    void aReplicaKilledWhileCommittingCreatesLosesNoAcknowledgedTaskAndCompletesNoneTwice() throws Exception {
        Assumptions.assumeTrue(Files.exists(Launcher.jar("task-service")), "needs the JVM package of task-service");
        String database = launcher.freshDatabase("suite_task_it");
        Map<String, String> settings = Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "mysql://127.0.0.1:3306/" + database,
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mariadb://127.0.0.1:3306/" + database,
                "SUITE_REDIS_PREFIX", "it-" + UUID.randomUUID() + ":",
                "SUITE_TASK_FILES_DIRECTORY", Files.createTempDirectory("task-files").toString(),
                "SUITE_TASK_LEASE", "3s", "SUITE_TASK_RECONCILE_INTERVAL", "1s", "MAX_WORKERS", "4",
                "SUITE_TASK_CREATES_PER_MINUTE", "100000");
        int a = launcher.service("task-service", settings);
        Launcher.Started b = launcher.start("task-service", settings);

        // Sixteen callers create on b without pause, so its creates are always being committed together.
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean gone = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        for (int i = 0; i < 16; i++) {
            callers.execute(() -> {
                while (!gone.get()) {
                    try {
                        acknowledged.add(field(call("POST", b.port(), "/api/v1/tasks", "{\"type\":\"noop\"}", 201), "task_id"));
                    } catch (Exception | AssertionError e) {
                        return; // b is gone: what it answered is what it promised
                    }
                }
            });
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 300);
        b.process().destroyForcibly();
        gone.set(true);
        assertTrue(b.process().waitFor(10, TimeUnit.SECONDS));
        callers.shutdown();
        assertTrue(callers.awaitTermination(30, TimeUnit.SECONDS));

        // Every stored task runs on a, also one whose commit landed but whose answer was lost.
        await().atMost(Duration.ofSeconds(90)).until(() -> Launcher.rows(database,
                "SELECT COUNT(*) FROM task WHERE state <> 'COMPLETED'").equals(List.of("0")));
        Set<String> stored = new HashSet<>(Launcher.rows(database, "SELECT task_id FROM task"));
        assertTrue(stored.containsAll(acknowledged), "every acknowledged task was stored");
        assertEquals(List.of("0"), Launcher.rows(database, "SELECT COUNT(*) FROM (SELECT task_id FROM task_transition "
                + "WHERE to_state = 'COMPLETED' GROUP BY task_id HAVING COUNT(*) > 1) twice"));
    }

    private static String state(int port, String id) {
        try {
            return field(call("GET", port, "/api/v1/tasks/" + id, null, 200), "state");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }
}
