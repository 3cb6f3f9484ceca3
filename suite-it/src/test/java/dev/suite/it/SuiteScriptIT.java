package dev.suite.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's first command, scripted: {@code ./suite up} starts every service from its packaged
 * jar and returns once they are ready, {@code status} shows them, {@code down} stops them.
 */
class SuiteScriptIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> SERVICES = List.of("llm-service", "mcp-gateway", "session-service", "workflow-service", "task-service");
    private static final Path RUN_DIR = Path.of("target", "suite-it-run").toAbsolutePath();

    private record Result(int exit, String output) {
    }

    private static Result suite(Map<String, Integer> ports, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = ROOT.resolve("suite").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("SUITE_RUN_DIR", RUN_DIR.toString());
        ports.forEach((service, port) -> env.put("SUITE_" + service.toUpperCase().replace('-', '_') + "_PORT",
                Integer.toString(port)));
        env.put("SUITE_READY_TIMEOUT", "120");
        // A fixed key keeps this run from writing one under the CI user's home.
        env.put("SUITE_MASTER_KEY", "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), "suite " + args[0] + " did not finish");
        return new Result(process.exitValue(), output);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int get(int port, String path) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void upStartsTheServicesReadyAndDownStopsThem() throws Exception {
        for (String service : SERVICES) {
            Assumptions.assumeTrue(Files.exists(ROOT.resolve(service).resolve("target/quarkus-app/quarkus-run.jar")),
                    "needs the JVM packages (not built by -Pnative)");
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : SERVICES) {
            ports.put(service, freePort());
        }
        try {
            Result up = suite(ports, "up");
            assertEquals(0, up.exit(), up.output());
            String portsJson = Files.readString(RUN_DIR.resolve("ports.json"));
            for (var entry : ports.entrySet()) {
                int port = entry.getValue();
                assertTrue(up.output().contains("http://127.0.0.1:" + port), up.output());
                assertEquals(200, get(port, "/q/health/ready"));
                assertTrue(portsJson.contains("\"" + entry.getKey() + "\": " + port), portsJson);
            }
            // The local run needs no credentials.
            assertEquals(200, get(ports.get("llm-service"), "/api/llm/configs"));
            assertEquals(200, get(ports.get("mcp-gateway"), "/api/mcp/servers"));

            Result status = suite(ports, "status");
            assertEquals(0, status.exit(), status.output());
            for (String service : SERVICES) {
                assertTrue(status.output().contains(service), status.output());
            }
            assertTrue(status.output().contains("running"), status.output());
        } finally {
            Result down = suite(ports, "down");
            assertEquals(0, down.exit(), down.output());
        }
        for (int port : ports.values()) {
            assertThrows(IOException.class, () -> get(port, "/q/health/live"), "nothing answers after down");
        }
    }
}
