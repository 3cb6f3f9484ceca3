package dev.suite.it;

import org.junit.jupiter.api.AfterEach;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two mcp-gateway replicas from the packaged jar, sharing MySQL, Redis and the master key and
 * nothing else: an MCP session the official SDK client starts on one is continued on the other,
 * with no sticky routing; an agent waiting for feedback on one gets the answer given on the other.
 */
class McpReplicasIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = ROOT.resolve("mcp-gateway/target/quarkus-app/quarkus-run.jar");
    private static final Path NODE = ROOT.resolve("mcp-gateway/src/test/node");
    /** SHA-256 of "alice-key". */
    private static final String ALICE = "alice:72ee9d4355ccb9d3a4c9dbf37382e38e75c1b1a225b5bd1f729ee91bbda30c20";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void sessionStartedOnOneReplicaContinuesOnTheOther() throws Exception {
        Assumptions.assumeTrue(Files.exists(JAR), "needs the JVM package (not built by -Pnative)");
        Assumptions.assumeTrue(Files.exists(NODE.resolve("node_modules/.package-lock.json")),
                "needs the npm packages the mcp-gateway tests install");
        int upstreamPort = freePort();
        ProcessBuilder everything = new ProcessBuilder("node",
                NODE.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js").toString(),
                "streamableHttp").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        everything.environment().put("PORT", Integer.toString(upstreamPort));
        processes.add(everything.start());
        awaitStatus(upstreamPort, "/mcp", 400);

        String prefix = "it-" + UUID.randomUUID() + ":";
        int a = startReplica(prefix);
        int b = startReplica(prefix);

        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a
                        + "/api/mcp/servers"))
                .header("Authorization", "Bearer alice-key").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"everything-" + UUID.randomUUID()
                        + "\",\"type\":\"http-stream\",\"url\":\"http://127.0.0.1:" + upstreamPort + "/mcp\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        Matcher id = Pattern.compile("\"server_id\":\"([^\"]+)\"").matcher(created.body());
        assertTrue(id.find());

        String started = sdk("http://127.0.0.1:" + a + "/mcp/servers/" + id.group(1), "start");
        Matcher session = Pattern.compile("\"session_id\":\"([^\"]+)\"").matcher(started);
        assertTrue(session.find(), started);

        String resumed = sdk("http://127.0.0.1:" + b + "/mcp/servers/" + id.group(1), "resume", session.group(1));
        assertFalse(resumed.contains("\"error\""), resumed);
        assertTrue(resumed.contains("\"echo\":\"Echo: through the gateway\""), resumed);
        assertTrue(resumed.contains("\"session_id\":\"" + session.group(1) + "\""), resumed);
    }

    @Test
    void feedbackAskedOnOneReplicaIsAnsweredThroughTheOther() throws Exception {
        Assumptions.assumeTrue(Files.exists(JAR), "needs the JVM package (not built by -Pnative)");
        Assumptions.assumeTrue(Files.exists(NODE.resolve("node_modules/.package-lock.json")),
                "needs the npm packages the mcp-gateway tests install");
        String prefix = "it-" + UUID.randomUUID() + ":";
        int a = startReplica(prefix);
        int b = startReplica(prefix);
        String summary = "Across replicas " + UUID.randomUUID();
        java.util.concurrent.CompletableFuture<String> agent = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return sdk(Map.of("FEEDBACK_SUMMARY", summary, "FEEDBACK_TIMEOUT", "60"),
                        "http://127.0.0.1:" + a + "/mcp", "feedback");
            } catch (Exception e) {
                return "failed: " + e;
            }
        });
        Pattern request = Pattern.compile("\\{\"feedback_id\":\"([^\"]+)\",\"summary\":\"" + Pattern.quote(summary));
        String id = await().atMost(Duration.ofSeconds(60)).until(() -> {
            HttpResponse<String> pending = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b
                            + "/api/mcp/feedback?status=pending&limit=200")).header("Authorization", "Bearer alice-key").build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher found = request.matcher(pending.body());
            return found.find() ? found.group(1) : null;
        }, found -> found != null);
        HttpResponse<String> answered = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b
                        + "/api/mcp/feedback/" + id + "/answer")).header("Authorization", "Bearer alice-key")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"answered on replica B\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answered.statusCode(), answered.body());
        String out = agent.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(out.contains("answered on replica B"), out);
    }

    private int startReplica(String redisPrefix) throws Exception {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx256m", "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "mcp-replica-" + port + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "mysql://127.0.0.1:3306/suite_mcp_test");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mariadb://127.0.0.1:3306/suite_mcp_test");
        env.put("SUITE_AUTH_MODE", "api-key");
        env.put("SUITE_AUTH_API_KEYS", ALICE);
        env.put("SUITE_MASTER_KEY", "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=");
        env.put("SUITE_MCP_ALLOW_PRIVATE_NETWORKS", "true");
        env.put("SUITE_REDIS_PREFIX", redisPrefix);
        // The SDK client's own request timeout (5 s) is extended by progress: send it more often than that.
        env.put("SUITE_MCP_FEEDBACK_PROGRESS_INTERVAL", "1s");
        processes.add(builder.start());
        awaitStatus(port, "/q/health/ready", 200);
        return port;
    }

    private static String sdk(String url, String... args) throws Exception {
        return sdk(Map.of(), url, args);
    }

    private static String sdk(Map<String, String> env, String url, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", NODE.resolve("sdk-client.mjs").toString(), url));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(NODE.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("MCP_TOKEN", "alice-key");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(90, TimeUnit.SECONDS));
        return out;
    }

    private static void awaitStatus(int port, String path, int status) {
        // Not listening yet is an IOException: ignored until the deadline.
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == status);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
