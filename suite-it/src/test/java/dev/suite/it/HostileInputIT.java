package dev.suite.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static dev.suite.it.Launcher.HTTP;
import static dev.suite.it.Launcher.call;
import static dev.suite.it.Launcher.callAs;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The attacks of "Security II" against the packaged services, in api-key mode as a shared
 * deployment runs them: a stdio server that snoops on the gateway, loader variables and free-form
 * commands, a backtracking regex, a workflow that runs itself a hundred times over, a media manifest
 * that points at the network, an image resize to 400 megapixels, a JSON body past the limit on a
 * path that hides its route, and a user past their quotas. Each is refused or contained, and after
 * each every service is still ready.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {

    /** The user who runs into the quotas: new each run, so no earlier run's files count against them. */
    private final String quotaKey = "quota-" + UUID.randomUUID();
    private static final Path SNOOPING_SERVER = Launcher.ROOT.resolve("mcp-gateway/src/test/node/snooping-server.mjs");

    private final Launcher launcher = new Launcher();
    private final Map<String, Launcher.Started> services = new HashMap<>();
    private Path files;

    @BeforeAll
    void start() throws Exception {
        for (String module : List.of("mcp-gateway", "workflow-service", "task-service")) {
            assumeTrue(Files.exists(Launcher.jar(module)), "needs the JVM package of " + module);
        }
        String prefix = "hostile-" + UUID.randomUUID() + ":";
        files = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "hostile-files");
        // The operator's catalogue has one entry; confinement is required, so a host without
        // bubblewrap fails here instead of passing unconfined.
        start("mcp-gateway", "suite_mcp_test", prefix, Map.of(
                "SUITE_MCP_STDIO_CONFINEMENT", "bubblewrap",
                "SUITE_MCP_STDIO_CATALOG_SNOOPING_COMMAND", "node",
                "SUITE_MCP_STDIO_CATALOG_SNOOPING_ARGS", SNOOPING_SERVER.toString(),
                "SUITE_MCP_STDIO_CATALOG_SNOOPING_ENV", "SNOOP_LABEL"));
        start("workflow-service", "suite_workflow_test", prefix, Map.of());
        start("task-service", launcher.freshDatabase("suite_task_it"), prefix, Map.of("SUITE_TASK_FILES_DIRECTORY", files.toString(),
                "SUITE_TASK_MAX_ACTIVE_PER_USER", "2",
                "SUITE_TASK_FILES_MAX_STORED_BYTES_PER_USER", "3000000"));
    }

    private void start(String module, String database, String prefix, Map<String, String> extra) throws Exception {
        String quotaUser = "quota:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(quotaKey.getBytes(StandardCharsets.UTF_8)));
        services.put(module, launcher.start(module, database, prefix, Launcher.ALICE_KEY + "," + quotaUser, extra));
    }

    private int port(String module) {
        return services.get(module).port();
    }

    @AfterEach
    void everyServiceIsStillReady() throws Exception {
        for (Map.Entry<String, Launcher.Started> service : services.entrySet()) {
            assertTrue(service.getValue().process().isAlive(), service.getKey() + " exited");
            HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + service.getValue().port() + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), service.getKey() + " is not ready: " + ready.body());
        }
    }

    @AfterAll
    void stop() throws Exception {
        launcher.close();
        if (files != null) {
            try (Stream<Path> leftovers = Files.walk(files)) {
                leftovers.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // --- stdio MCP servers ------------------------------------------------------------------

    @Test
    void aCatalogueServerCannotReadTheGatewaysSecretsAndStillWorks() throws Exception {
        int mcp = port("mcp-gateway");
        String id = field(call("POST", mcp, "/api/mcp/servers", json(Map.of("name", unique("snoop"), "type", "stdio",
                "command", "snooping", "env", Map.of("SNOOP_LABEL", "x"))), 201), "server_id");
        long gateway = services.get("mcp-gateway").process().pid();
        Path localKey = Path.of(System.getProperty("user.home"), ".suite", "master.key");
        String text = Mutations.JSON.readTree(call("POST", mcp, "/api/mcp/servers/" + id + "/tools/snoop/call",
                json(Map.of("pid", gateway, "paths", List.of(localKey.toString()))), 200))
                .path("content").path(0).path("text").asText();
        JsonNode found = Mutations.JSON.readTree(text);

        assertTrue(found.path("environ").asText().startsWith("error:"), "the gateway's environ was readable: " + text);
        assertFalse(text.contains(Launcher.MASTER_KEY), "the master key reached the server");
        found.path("pids").forEach(pid -> assertTrue(pid.asLong() != gateway, "the gateway's process is visible"));
        if (Files.isRegularFile(localKey)) {
            assertFalse(text.contains(Files.readString(localKey).trim()), "~/.suite/master.key was readable");
        }
    }

    @Test
    void freeFormCommandsAndLoaderVariablesAreRefused() throws Exception {
        int mcp = port("mcp-gateway");
        String npx = call("POST", mcp, "/api/mcp/servers", json(Map.of("name", unique("npx"), "type", "stdio",
                "command", "npx", "args", List.of("-c", "sh -c 'cat /proc/1/environ'"))), 400);
        assertTrue(npx.contains("catalogue"), npx);
        for (String variable : List.of("LD_PRELOAD", "NODE_OPTIONS", "JAVA_TOOL_OPTIONS")) {
            String refused = call("POST", mcp, "/api/mcp/servers", json(Map.of("name", unique("env"), "type", "stdio",
                    "command", "snooping", "env", Map.of(variable, "/tmp/evil.so"))), 400);
            assertTrue(refused.contains(variable), refused);
        }
    }

    // --- workflows -----------------------------------------------------------------------

    @Test
    void aCatastrophicRegexConditionFinishesAtOnceAndTheReplicaKeepsAnswering() throws Exception {
        int workflow = port("workflow-service");
        String graph = "{\"nodes\":[{\"id\":\"start\",\"type\":\"noop\",\"inputs\":{\"value\":\"" + "a".repeat(50) + "!\"}},"
                + "{\"id\":\"test\",\"type\":\"condition\",\"config\":{\"operator\":\"matches\",\"operand\":\"^(.*a){12}$\"}},"
                + "{\"id\":\"no\",\"type\":\"noop\"}],"
                + "\"edges\":[{\"id\":\"e1\",\"source\":\"start\",\"source_handle\":\"value\",\"target\":\"test\","
                + "\"target_handle\":\"value\"},{\"id\":\"e2\",\"source\":\"test\",\"source_handle\":\"false\","
                + "\"target\":\"no\",\"target_handle\":\"value\"}],\"inputs\":{}}";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(field(call("POST", workflow, "/api/executions", graph, 202), "execution_id"));
        }
        long start = System.nanoTime();
        call("GET", workflow, "/api/workflows?limit=1", null, 200);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2_000, "the replica answers while they run");
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(30)).until(() -> field(call("GET", workflow, "/api/executions/" + id, null, 200),
                    "status").equals("completed"));
        }
        String invalid = call("POST", workflow, "/api/workflows", "{\"name\":\"" + unique("backref") + "\",\"nodes\":"
                + "[{\"id\":\"test\",\"type\":\"condition\",\"config\":{\"operator\":\"matches\",\"operand\":\"(a)\\\\1\"}}],"
                + "\"edges\":[]}", 400);
        assertTrue(invalid.contains("not an RE2 regular expression"), invalid);
    }

    @Test
    void aWorkflowThatWouldRunItselfAHundredTimesIsRefusedWhenSaved() throws Exception {
        int workflow = port("workflow-service");
        String self = field(call("POST", workflow, "/api/workflows", "{\"name\":\"" + unique("self") + "\",\"nodes\":"
                + "[{\"id\":\"a\",\"type\":\"noop\"}],\"edges\":[]}", 201), "workflow_id");
        StringBuilder nodes = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            nodes.append(i == 0 ? "" : ",").append("{\"id\":\"sub").append(i).append("\",\"type\":\"sub_workflow\",")
                    .append("\"config\":{\"workflow_id\":\"").append(self).append("\"}}");
        }
        String refused = call("PUT", workflow, "/api/workflows/" + self, "{\"name\":\"" + unique("self")
                + "\",\"nodes\":[" + nodes + "],\"edges\":[]}", 400);
        assertTrue(refused.contains(self + " → " + self), refused);
    }

    // --- task-service ------------------------------------------------------------------------

    @Test
    void aManifestPointingAtALocalListenerIsNeverFollowed() throws Exception {
        int task = port("task-service");
        AtomicInteger heard = new AtomicInteger();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket ignored = listener.accept()) {
                        heard.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
            String dash = "<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" "
                    + "mediaPresentationDuration=\"PT3S\" profiles=\"urn:mpeg:dash:profile:isoff-on-demand:2011\">"
                    + "<Period><AdaptationSet mimeType=\"video/mp4\"><Representation id=\"1\" bandwidth=\"1000\">"
                    + "<BaseURL>http://127.0.0.1:" + listener.getLocalPort() + "/segment.mp4</BaseURL>"
                    + "</Representation></AdaptationSet></Period></MPD>";
            String file = upload(task, "Bearer alice-key", "clip.mp4", "video/mp4", dash.getBytes(StandardCharsets.UTF_8), 201);
            String id = field(call("POST", task, "/api/v1/process/video", json(Map.of("input_file_ids", List.of(file),
                    "params", Map.of("operation", "probe"))), 201), "task_id");
            await().atMost(Duration.ofSeconds(30)).until(() -> field(call("GET", task, "/api/v1/tasks/" + id, null, 200),
                    "state").equals("FAILED"));
            String failed = call("GET", task, "/api/v1/tasks/" + id, null, 200);
            assertTrue(failed.contains("not audio or video"), failed);
        }
        assertEquals(0, heard.get(), "a segment was fetched");
    }

    @Test
    void aResizeToFourHundredMegapixelsIsRefusedAtCreation() throws Exception {
        int task = port("task-service");
        BufferedImage dot = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(dot, "png", png);
        String file = upload(task, "Bearer alice-key", "dot.png", "image/png", png.toByteArray(), 201);
        String refused = call("POST", task, "/api/v1/process/image", json(Map.of("input_file_ids", List.of(file),
                "params", Map.of("operation", "resize", "width", 20_000, "height", 20_000, "keep_aspect", false))), 400);
        assertTrue(refused.contains("params.width"), refused);
    }

    @Test
    void aPathThatHidesItsRouteIsRefusedBeforeItsBodyIsRead() throws Exception {
        int task = port("task-service");
        RawHttp.Response response = RawHttp.post(task, "/api/v1/files/../tasks", "127.0.0.1:" + task,
                "application/json", "{\"type\":\"noop\",\"params\":{\"pad\":\"" + "x".repeat(1_100_000) + "\"}}",
                "Authorization: Bearer alice-key");
        assertEquals(400, response.status(), response.body());
    }

    @Test
    void aUserPastTheirQuotasIsRefusedSayingWhich() throws Exception {
        int task = port("task-service");
        byte[] half = new byte[1_600_000];
        upload(task, "Bearer " + quotaKey, "a.bin", "application/octet-stream", half, 201);
        String stored = uploadResponse(task, "Bearer " + quotaKey, "b.bin", "application/octet-stream", half);
        assertTrue(stored.startsWith("413 ") && stored.contains("Storage quota"), stored);

        List<String> sleeping = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            sleeping.add(field(callAs("Bearer " + quotaKey, "POST", task, "/api/v1/tasks",
                    "{\"type\":\"noop\",\"params\":{\"sleep_ms\":20000}}", 201), "task_id"));
        }
        String unfinished = callAs("Bearer " + quotaKey, "POST", task, "/api/v1/tasks", "{\"type\":\"noop\"}", 429);
        assertTrue(unfinished.contains("max-active-per-user"), unfinished);
        // Alice's quotas are her own.
        call("POST", task, "/api/v1/tasks", "{\"type\":\"noop\"}", 201);
        for (String id : sleeping) {
            callAs("Bearer " + quotaKey, "DELETE", task, "/api/v1/tasks/" + id, null, 202);
        }
    }

    // --- helpers ----------------------------------------------------------------------------

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String json(Object value) throws Exception {
        return Mutations.JSON.writeValueAsString(value);
    }

    private static String field(String body, String name) throws Exception {
        return Mutations.JSON.readTree(body).path(name).asText();
    }

    /** Uploads one file; answers its id. */
    private static String upload(int port, String authorization, String name, String type, byte[] content, int expected)
            throws Exception {
        String response = uploadResponse(port, authorization, name, type, content);
        assertTrue(response.startsWith(expected + " "), response);
        return Mutations.JSON.readTree(response.substring(4)).path("items").path(0).path("file_id").asText();
    }

    /** Uploads one file; answers "status body". */
    private static String uploadResponse(int port, String authorization, String name, String type, byte[] content)
            throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--hostile\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n"
                + "Content-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write("\r\n--hostile--\r\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/files"))
                .header("Authorization", authorization).header("Content-Type", "multipart/form-data; boundary=hostile")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }
}
