package dev.suite.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.testing.RawHttp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's first command, end to end: {@code ./suite up} starts the supervisor, the five
 * services and the API gateway; one user's scenario runs through the gateway and touches every
 * service (HTTP, SSE, WebSocket), traced into a local OTLP collector, and every service exports
 * the metrics the dashboards read; a service killed with SIGKILL is restarted by the supervisor and
 * the scenario passes again; {@code ./suite down} leaves no process behind.
 */
class SuiteEndToEndIT {

    private static final List<String> SERVICES = List.of("llm-service", "mcp-gateway", "session-service",
            "workflow-service", "task-service");
    private static final Path RUN_DIR = Path.of("target", "suite-e2e-run").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env = new HashMap<>();

    private record Result(int exit, String output) {
    }

    @Test
    void scenarioRunsThroughTheGatewayAndSurvivesAKilledService() throws Exception {
        for (String service : SERVICES) {
            Assumptions.assumeTrue(Files.exists(Launcher.jar(service)), "needs the JVM packages (not built by -Pnative)");
        }
        Assumptions.assumeTrue(Files.exists(McpReplicasIT.NODE.resolve("node_modules/.package-lock.json")),
                "needs the npm packages the mcp-gateway tests install");
        int gateway = Launcher.freePort();
        env.put("SUITE_RUN_DIR", RUN_DIR.toString());
        env.put("SUITE_GATEWAY_PORT", Integer.toString(gateway));
        for (String service : SERVICES) {
            env.put("SUITE_" + service.toUpperCase().replace('-', '_') + "_PORT", Integer.toString(Launcher.freePort()));
        }
        // The test databases and a Redis prefix of its own: a developer's local suite keeps its data.
        env.put("SUITE_DB_NAME_SUFFIX", "_test");
        env.put("SUITE_REDIS_PREFIX", "it-" + UUID.randomUUID() + ":");
        env.put("SUITE_TASK_FILES_DIRECTORY", RUN_DIR.resolve("task-files").toString());
        // A fixed key keeps the run from writing one under the CI user's home.
        env.put("SUITE_MASTER_KEY", Launcher.MASTER_KEY);
        env.put("SUITE_READY_TIMEOUT", "240");

        try (Launcher helpers = new Launcher(); OtlpReceiver collector = new OtlpReceiver()) {
            // Tracing on, as an operator turns it on: every service and the gateway export to the collector.
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint());
            env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
            int mcp = McpReplicasIT.startEverything(helpers);
            List<Long> pids = new ArrayList<>();
            try {
                Result up = suite("up");
                assertEquals(0, up.exit(), up.output());
                assertTrue(up.output().contains("http://127.0.0.1:" + gateway), up.output());
                JsonNode ports = JSON.readTree(RUN_DIR.resolve("ports.json").toFile());
                assertEquals(gateway, ports.path("gateway").asInt(), "ports.json names the gateway: " + ports);
                for (String service : SERVICES) {
                    assertEquals(200, get(ports.path(service).asInt(), "/q/health/ready"), service + " is ready");
                }
                assertEquals(200, get(gateway, "/q/health/ready"), "the gateway is ready once every service is");
                Map<String, Long> before = status();
                pids.add(supervisorPid());
                pids.addAll(before.values());

                SuiteScenario scenario = new SuiteScenario(path -> URI.create("http://127.0.0.1:" + gateway + path),
                        "http://127.0.0.1:" + mcp + "/mcp");
                scenario.run();
                ScenarioTraces.assertTraced(collector);
                Map<String, Integer> servicePorts = new HashMap<>();
                SERVICES.forEach(service -> servicePorts.put(service, ports.path(service).asInt()));
                DashboardMetrics.assertExported(servicePorts);
                aWebPageCannotDriveTheLocalSuite(gateway, ports.path("llm-service").asInt());

                long killed = before.get("llm-service");
                ProcessHandle.of(killed).orElseThrow().destroyForcibly();
                long restarted = await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                        .until(() -> readyPid("llm-service"), pid -> pid.isPresent() && pid.get() != killed).orElseThrow();
                assertNotEquals(killed, restarted);
                pids.add(restarted);
                Result status = suite("status");
                assertTrue(status.output().lines().anyMatch(line -> line.startsWith("llm-service")
                        && line.contains(" ready ") && line.matches(".*\\s1\\s+yes$")), "one restart, ready: " + status.output());
                Result logs = suite("logs", "llm-service");
                assertTrue(logs.output().contains("supervisor: starting llm-service (restart 1; last exit: killed (SIGKILL))"),
                        logs.output());

                new SuiteScenario(path -> URI.create("http://127.0.0.1:" + gateway + path), "http://127.0.0.1:" + mcp + "/mcp")
                        .run();
            } finally {
                Result down = suite("down");
                assertEquals(0, down.exit(), down.output());
            }
            for (long pid : pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " is gone after down");
            }
            assertThrows(ConnectException.class, () -> get(gateway, "/q/health/live"), "nothing answers on the gateway");
            assertFalse(Files.exists(RUN_DIR.resolve("ports.json")), "no port map once stopped");
            assertEquals(3, suite("status").exit(), "status says the suite is not running");
        }
    }

    /**
     * What a page on another site can do to a local suite (every request is the local user): a
     * page on a DNS-rebinding domain, same-origin as far as its browser knows, and a plain
     * cross-site page. Each is refused, through the gateway and at a service's own port, and the
     * stdio server it tried to register does not exist.
     */
    private static void aWebPageCannotDriveTheLocalSuite(int gateway, int llm) throws Exception {
        for (int port : List.of(gateway, llm)) {
            String rebound = "rebind.attacker.example:" + port;
            assertEquals(421, RawHttp.get(port, "/api/llm/configs", rebound, "Origin: http://" + rebound).status());
            assertEquals(421, RawHttp.upgrade(port, "/ws/sessions", rebound, "Origin: http://" + rebound).status());
            assertEquals(403, RawHttp.post(port, "/v1/chat/completions", "127.0.0.1:" + port, "text/plain",
                    "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"spend\"}]}",
                    "Origin: https://evil.example").status());
            assertEquals(415, RawHttp.post(port, "/v1/chat/completions", "127.0.0.1:" + port, "text/plain",
                    "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"spend\"}]}").status());
        }
        String name = "rebound-" + UUID.randomUUID();
        RawHttp.Response register = RawHttp.post(gateway, "/api/mcp/servers", "rebind.attacker.example:" + gateway,
                "application/json", "{\"name\":\"" + name + "\",\"type\":\"stdio\",\"command\":\"sh\",\"args\":[\"-c\",\"id\"]}",
                "Origin: http://rebind.attacker.example:" + gateway);
        assertEquals(421, register.status(), register.body());
        assertEquals("application/problem+json", register.header("Content-Type"));
        RawHttp.Response servers = RawHttp.get(gateway, "/api/mcp/servers?limit=200", "127.0.0.1:" + gateway);
        assertFalse(servers.body().contains(name), "no stdio server was registered: " + servers.body());
    }

    private Result suite(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Launcher.ROOT.resolve("suite").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Launcher.ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "./suite " + args[0] + " did not finish");
        return new Result(process.exitValue(), output);
    }

    /** Each service's pid, from the status table (SERVICE STATE PORT PID UPTIME RESTARTS READY). */
    private Map<String, Long> status() throws Exception {
        Result status = suite("status");
        assertEquals(0, status.exit(), status.output());
        Map<String, Long> pids = new LinkedHashMap<>();
        status.output().lines().map(line -> line.trim().split("\\s+"))
                .filter(columns -> SERVICES.contains(columns[0]) && columns.length == 7)
                .forEach(columns -> pids.put(columns[0], Long.parseLong(columns[3])));
        assertEquals(SERVICES.size(), pids.size(), status.output());
        return pids;
    }

    private Optional<Long> readyPid(String service) throws Exception {
        Result status = suite("status");
        return status.output().lines().map(line -> line.trim().split("\\s+"))
                .filter(columns -> columns[0].equals(service) && columns.length == 7 && columns[6].equals("yes"))
                .map(columns -> Long.parseLong(columns[3])).findFirst();
    }

    private long supervisorPid() throws IOException {
        return JSON.readTree(RUN_DIR.resolve("supervisor.json").toFile()).path("pid").asLong();
    }

    private static int get(int port, String path) throws Exception {
        return Launcher.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
