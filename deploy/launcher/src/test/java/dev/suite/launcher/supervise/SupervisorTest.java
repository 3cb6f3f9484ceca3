package dev.suite.launcher.supervise;

import dev.suite.launcher.RunDir;
import dev.suite.launcher.ServiceSpec;
import dev.suite.launcher.supervise.Supervisor.ServiceRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The supervisor against real processes ({@link FakeService}), with short timings. */
class SupervisorTest {

    private static final SupervisionPolicy POLICY = new SupervisionPolicy(
            Duration.ofSeconds(20), Duration.ofSeconds(1), 3,
            Duration.ofMillis(100), Duration.ofMillis(500), 3,
            Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(30));

    @TempDir
    Path dir;

    private Vertx vertx;
    private FakeCommand command;
    private RunDir runDir;
    private ServiceDirectory directory;
    private Supervisor supervisor;
    private ServiceSpec alpha;
    private ServiceSpec beta;

    @BeforeEach
    void setUp() throws IOException {
        vertx = Vertx.vertx();
        command = new FakeCommand(dir);
        runDir = new RunDir(dir.resolve("run"));
        runDir.create();
        directory = new ServiceDirectory();
        alpha = new ServiceSpec("alpha", freePort(), "alpha_db");
        beta = new ServiceSpec("beta", freePort(), "beta_db");
        command.mode("alpha", "ready");
        command.mode("beta", "ready");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (supervisor != null) {
            result(supervisor.stopAll(), Duration.ofSeconds(30));
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Supervisor supervisor(SupervisionPolicy policy) {
        Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
        ports.put(alpha, alpha.defaultPort());
        ports.put(beta, beta.defaultPort());
        supervisor = new Supervisor(vertx, policy, command, runDir, directory, ports, Set.of());
        return supervisor;
    }

    @Test
    void startsEveryServiceOnItsPreferredPortAndReportsItReady() throws Exception {
        supervisor(POLICY);
        result(supervisor.startAll(List.of()), Duration.ofSeconds(10));
        JsonObject a = awaitService("alpha", s -> s.getBoolean("ready"));
        JsonObject b = awaitService("beta", s -> s.getBoolean("ready"));
        assertEquals(alpha.defaultPort(), a.getInteger("port"));
        assertEquals(beta.defaultPort(), b.getInteger("port"));
        assertEquals(0, a.getInteger("restarts"));
        assertTrue(directory.get("alpha").orElseThrow().state().serving());
        assertTrue(Files.readString(runDir.log("alpha")).contains("fake alpha: listening on " + alpha.defaultPort()));
    }

    @Test
    void restartsAKilledServiceOnTheSamePort() throws Exception {
        supervisor(POLICY);
        result(supervisor.startAll(List.of()), Duration.ofSeconds(10));
        long first = awaitService("alpha", s -> s.getBoolean("ready")).getLong("pid");

        ProcessHandle.of(first).orElseThrow().destroyForcibly();

        JsonObject again = awaitService("alpha", s -> s.getBoolean("ready") && s.getLong("pid") != first);
        assertEquals(1, again.getInteger("restarts"));
        assertEquals("killed (SIGKILL)", again.getString("last_exit"));
        assertEquals(alpha.defaultPort(), again.getInteger("port"));
        assertTrue(awaitService("beta", s -> true).getInteger("restarts") == 0, "the other service is untouched");
    }

    @Test
    void aCrashLoopBacksOffAndStopsAfterTheLimit() throws Exception {
        command.mode("alpha", "crash");
        supervisor(POLICY);
        Instant start = Instant.now();
        result(supervisor.startAll(List.of()), Duration.ofSeconds(10));

        JsonObject failed = awaitService("alpha", s -> s.getString("state").equals("failed"));
        // Three starts with back-offs of 200 ms and 400 ms between them.
        assertTrue(Duration.between(start, Instant.now()).toMillis() >= 600, "backed off between starts");
        assertEquals(3, failed.getInteger("failures"));
        assertEquals(2, failed.getInteger("restarts"));
        assertEquals("exit code 3", failed.getString("last_exit"));
        assertEquals(3, Files.readAllLines(runDir.log("alpha")).stream().filter(line -> line.contains("crashing")).count());
        assertFalse(directory.get("alpha").orElseThrow().state().serving());
        assertTrue(awaitService("beta", s -> s.getBoolean("ready")).getBoolean("ready"), "one service's loop spares the others");

        // Fixed, and restarted by hand: the count starts again.
        command.mode("alpha", "ready");
        result(supervisor.restart("alpha"), Duration.ofSeconds(10));
        JsonObject revived = awaitService("alpha", s -> s.getBoolean("ready"));
        assertEquals(0, revived.getInteger("failures"));
    }

    @Test
    void aServiceNotReadyInTimeIsStoppedAndCountsAsAFailure() throws Exception {
        command.mode("alpha", "not-ready");
        supervisor(new SupervisionPolicy(Duration.ofSeconds(2), POLICY.stopGrace(), 2, POLICY.probeInterval(),
                POLICY.probeTimeout(), 3, POLICY.backoffBase(), POLICY.backoffMax(), POLICY.stableAfter()));
        result(supervisor.startAll(List.of()), Duration.ofSeconds(10));

        JsonObject failed = awaitService("alpha", s -> s.getString("state").equals("failed"));
        assertEquals("not ready after 2 s", failed.getString("last_exit"));
        assertEquals(null, failed.getValue("pid"), "no process left");
    }

    @Test
    void aServiceThatStopsAnsweringIsRestartedButOneThatAnswersNotReadyIsLeftAlone() throws Exception {
        supervisor(POLICY);
        result(supervisor.startAll(List.of()), Duration.ofSeconds(10));
        long first = awaitService("alpha", s -> s.getBoolean("ready")).getLong("pid");

        // Its database is away, say: it answers, not ready; a restart would not help.
        command.mode("alpha", "not-ready");
        awaitService("alpha", s -> s.getString("state").equals("unhealthy"));
        assertTrue(directory.get("alpha").orElseThrow().state().serving(), "still reachable: it answers its own 503s");
        command.mode("alpha", "ready");
        JsonObject recovered = awaitService("alpha", s -> s.getBoolean("ready"));
        assertEquals(first, recovered.getLong("pid"));

        // Hung: no answer at all.
        command.mode("alpha", "hang");
        JsonObject restarted = awaitService("alpha", s -> s.getLong("pid") != null && s.getLong("pid") != first);
        assertTrue(restarted.getString("last_exit").startsWith("stopped answering its health checks"), restarted.encode());
        command.mode("alpha", "ready");
        awaitService("alpha", s -> s.getBoolean("ready"));
    }

    @Test
    void stopSendsSigtermThenSigkillAfterTheGracePeriod() throws Exception {
        command.mode("alpha", "ignore-term");
        supervisor(POLICY);
        result(supervisor.startAll(List.of()), Duration.ofSeconds(10));
        long pid = awaitService("alpha", s -> s.getBoolean("ready")).getLong("pid");
        long gentle = awaitService("beta", s -> s.getBoolean("ready")).getLong("pid");

        Instant stopping = Instant.now();
        result(supervisor.stopAll(), Duration.ofSeconds(30));

        assertTrue(Duration.between(stopping, Instant.now()).toMillis() >= POLICY.stopGrace().toMillis(), "waited the grace");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(ProcessHandle.of(gentle).map(ProcessHandle::isAlive).orElse(false));
        JsonObject stopped = awaitService("alpha", s -> true);
        assertEquals("stopped", stopped.getString("state"));
        assertEquals(0, stopped.getInteger("failures"), "a requested stop is no failure");
        supervisor = null;
    }

    @Test
    void aPortTakenByAnotherProgramMakesTheServiceFallBack() throws Exception {
        try (ServerSocket squatter = new ServerSocket(alpha.defaultPort(), 1, InetAddress.getLoopbackAddress())) {
            supervisor(POLICY);
            result(supervisor.startAll(List.of()), Duration.ofSeconds(10));
            JsonObject a = awaitService("alpha", s -> s.getBoolean("ready"));
            assertNotEquals(alpha.defaultPort(), a.getInteger("port"));
            assertNotEquals(beta.defaultPort(), a.getInteger("port"), "never another service's preferred port");
            assertEquals(a.getInteger("port"), directory.get("alpha").orElseThrow().port());
        }
    }

    @Test
    void leftoversOfAnEarlierRunAreStoppedFirst() throws Exception {
        // An earlier supervisor was killed: its alpha still holds the port, its beta runs elsewhere.
        Process onPort = command.processFor(alpha, alpha.defaultPort()).start();
        Process recorded = command.processFor(beta, freePort()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !Ports.isFree(alpha.defaultPort()));

        supervisor(POLICY);
        result(supervisor.startAll(List.of(new ServiceRecord("beta", 0, recorded.pid()))), Duration.ofSeconds(30));

        assertTrue(recorded.waitFor(10, TimeUnit.SECONDS), "the recorded leftover is stopped");
        JsonObject a = awaitService("alpha", s -> s.getBoolean("ready"));
        assertTrue(onPort.waitFor(10, TimeUnit.SECONDS), "the leftover on the port is stopped");
        assertEquals(alpha.defaultPort(), a.getInteger("port"), "and the port reused");
        assertNotEquals(onPort.pid(), a.getLong("pid"));
    }

    private JsonObject awaitService(String name, Predicate<JsonObject> condition) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonObject found = null;
            for (Object item : result(supervisor.status(), Duration.ofSeconds(5))) {
                JsonObject service = (JsonObject) item;
                if (service.getString("name").equals(name)) {
                    found = service;
                }
            }
            return found;
        }, found -> found != null && condition.test(found));
    }

    private static <T> T result(Future<T> future, Duration timeout) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
