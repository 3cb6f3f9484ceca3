package dev.suite.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

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

    private static final Path JAR = Launcher.jar("mcp-gateway");
    static final Path NODE = Launcher.ROOT.resolve("mcp-gateway/src/test/node");
    private static final HttpClient HTTP = Launcher.HTTP;

    private final Launcher launcher = new Launcher();

    @AfterEach
    void stop() throws InterruptedException {
        launcher.close();
    }

    @Test
    void sessionStartedOnOneReplicaContinuesOnTheOther() throws Exception {
        Assumptions.assumeTrue(Files.exists(JAR), "needs the JVM package (not built by -Pnative)");
        Assumptions.assumeTrue(Files.exists(NODE.resolve("node_modules/.package-lock.json")),
                "needs the npm packages the mcp-gateway tests install");
        int upstreamPort = startEverything(launcher);

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

    /** server-everything over Streamable HTTP on a free port. */
    static int startEverything(Launcher launcher) throws Exception {
        int port = Launcher.freePort();
        ProcessBuilder everything = new ProcessBuilder("node",
                NODE.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js").toString(),
                "streamableHttp");
        everything.environment().put("PORT", Integer.toString(port));
        launcher.process(everything);
        Launcher.awaitStatus(port, "/mcp", 400);
        return port;
    }

    private int startReplica(String redisPrefix) throws Exception {
        return launcher.service("mcp-gateway", Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "mysql://127.0.0.1:3306/suite_mcp_test",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mariadb://127.0.0.1:3306/suite_mcp_test",
                "SUITE_ALLOW_PRIVATE_NETWORKS", "true",
                "SUITE_REDIS_PREFIX", redisPrefix,
                // The SDK client's own request timeout (5 s) is extended by progress: send it more often than that.
                "SUITE_MCP_FEEDBACK_PROGRESS_INTERVAL", "1s"));
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

}
