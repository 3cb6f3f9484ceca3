package dev.suite.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.suite.it.Launcher.HTTP;
import static dev.suite.it.Launcher.call;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The route fuzzer over the five packaged services, wired to each other, in api-key mode with two
 * users: every operation of each service's OpenAPI document with hostile input (see
 * {@link RouteFuzzer}). Alice owns one object of each kind; Bob tries them. No finding is allowed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteFuzzIT {

    /** SHA-256 of "bob-key". */
    private static final String BOB_KEY = "bob:9b94dc1a51a38769f135edf04033ad7f2f487b6c25929be7a861cfc1ab10cf98";
    private static final String ALICE = "Bearer alice-key";
    private static final String BOB = "Bearer bob-key";

    private final Launcher launcher = new Launcher();
    private final Map<String, Launcher.Started> services = new HashMap<>();
    private final Map<String, String> owned = new HashMap<>();
    private Path files;

    @BeforeAll
    void start() throws Exception {
        for (String module : List.of("llm-service", "mcp-gateway", "session-service", "workflow-service", "task-service")) {
            assumeTrue(Files.exists(Launcher.jar(module)), "needs the JVM package of " + module);
        }
        String prefix = "fuzz-" + UUID.randomUUID() + ":";
        files = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "fuzz-files");
        start("llm-service", "suite_llm_test", prefix, Map.of());
        start("mcp-gateway", "suite_mcp_test", prefix, Map.of());
        String llm = "http://127.0.0.1:" + port("llm-service");
        String mcp = "http://127.0.0.1:" + port("mcp-gateway");
        start("task-service", "suite_task_test", prefix, Map.of("SUITE_TASK_FILES_DIRECTORY", files.toString()));
        start("session-service", "suite_session_test", prefix, Map.of("SUITE_LLM_URL", llm, "SUITE_MCP_URL", mcp));
        start("workflow-service", "suite_workflow_test", prefix, Map.of("SUITE_LLM_URL", llm, "SUITE_MCP_URL", mcp,
                "SUITE_TASK_URL", "http://127.0.0.1:" + port("task-service")));
        seed();
    }

    private void start(String module, String database, String prefix, Map<String, String> extra) throws Exception {
        services.put(module, launcher.start(module, database, prefix, Launcher.ALICE_KEY + "," + BOB_KEY, extra));
    }

    private int port(String module) {
        return services.get(module).port();
    }

    /** One object of each kind for Alice, whose ids the fuzzer puts in paths (and Bob tries). */
    private void seed() throws Exception {
        // The test databases outlive a run: names that must be unique carry this run's mark.
        String run = UUID.randomUUID().toString().substring(0, 8);
        int llm = port("llm-service");
        String config = id(call("POST", llm, "/api/llm/configs", "{\"name\":\"fuzz-echo-" + run + "\",\"provider\":\"echo\"}", 201),
                "config_id");
        owned.put("/api/llm/configs/{id}", config);

        int mcp = port("mcp-gateway");
        String server = id(call("POST", mcp, "/api/mcp/servers",
                "{\"name\":\"fuzz-remote-" + run + "\",\"type\":\"http-stream\",\"url\":\"https://mcp.example.invalid/mcp\"}", 201),
                "server_id");
        owned.put("/api/mcp/servers/{id}", server);
        owned.put("/mcp/servers/{id}", server);
        owned.put("/mcp/oauth/tokens/{server_id}", server);

        int session = port("session-service");
        String sessionId = id(call("POST", session, "/api/sessions",
                "{\"title\":\"fuzz\",\"session_type\":\"memory\",\"llm_config_id\":\"" + config + "\"}", 201), "session_id");
        owned.put("/api/sessions/{id}", sessionId);
        owned.put("/api/messages/{id}", id(call("POST", session, "/api/sessions/" + sessionId + "/messages",
                "{\"role\":\"user\",\"content\":\"hello\"}", 201), "message_id"));
        owned.put("/api/roundtables/{id}", id(call("POST", session, "/api/roundtables",
                "{\"title\":\"fuzz\",\"max_rounds\":1,\"participants\":[{\"name\":\"A\",\"llm_config_id\":\"" + config
                        + "\"}]}", 201), "roundtable_id"));

        int workflow = port("workflow-service");
        String workflowId = id(call("POST", workflow, "/api/workflows", "{\"name\":\"fuzz-" + run + "\",\"nodes\":[{\"id\":\"a\","
                + "\"type\":\"delay\",\"config\":{\"ms\":1}}],\"edges\":[]}", 201), "workflow_id");
        owned.put("/api/workflows/{id}", workflowId);
        String hook = id(call("POST", workflow, "/api/workflows/" + workflowId + "/triggers",
                "{\"kind\":\"webhook\",\"name\":\"fuzz\"}", 201), "trigger_id");
        owned.put("/api/workflows/{id}/triggers/{trigger_id}", hook);
        owned.put("/api/hooks/{trigger_id}", hook);
        owned.put("/api/executions/{id}", id(call("POST", workflow, "/api/executions",
                "{\"workflow_id\":\"" + workflowId + "\"}", 202), "execution_id"));

        int task = port("task-service");
        owned.put("/api/v1/tasks/{id}", id(call("POST", task, "/api/v1/tasks", "{\"type\":\"noop\"}", 201), "task_id"));
        owned.put("/api/v1/schedules/{id}", id(call("POST", task, "/api/v1/schedules", "{\"name\":\"fuzz-" + run
                + "\",\"cron\":\"@yearly\",\"task\":{\"type\":\"noop\"}}", 201), "schedule_id"));
        HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + task + "/api/v1/files"))
                .header("Authorization", ALICE).header("Content-Type", "multipart/form-data; boundary=seed")
                .POST(HttpRequest.BodyPublishers.ofString("--seed\r\nContent-Disposition: form-data; name=\"file\"; "
                        + "filename=\"seed.txt\"\r\nContent-Type: text/plain\r\n\r\nseed\r\n--seed--\r\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, upload.statusCode(), upload.body());
        owned.put("/api/v1/files/{id}", Mutations.JSON.readTree(upload.body()).path("items").get(0).path("file_id").asText());
    }

    private static String id(String body, String field) throws Exception {
        String id = Mutations.JSON.readTree(body).path(field).asText();
        assertTrue(!id.isEmpty(), field + " in " + body);
        return id;
    }

    @AfterAll
    void stop() throws Exception {
        launcher.close();
        if (files != null) {
            try (Stream<Path> leftovers = Files.walk(files)) {
                leftovers.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Operations whose job is to call an upstream the user registered: a 502/504 there is an answer. */
    private static final Set<String> CALLS_UPSTREAM = Set.of("/v1/chat/completions", "/v1/messages", "/v1/responses",
            "/v1/embeddings", "/api/mcp/servers/{id}/tools", "/api/mcp/servers/{id}/tools/{name}/call",
            "/api/mcp/servers/{id}/health", "/mcp/servers/{id}", "/mcp/oauth/start", "/mcp/oauth/refresh", "/mcp/health",
            "/api/messages/{id}/execute");

    /** The built-in MCP server answers the protocol itself: its parser is fuzzed as well as a relay's. */
    private static final Map<String, List<String>> ALSO_AT = Map.of("/mcp/servers/{id}", List.of("/mcp/servers/suite"));

    @ParameterizedTest
    @ValueSource(strings = {"llm-service", "mcp-gateway", "session-service", "workflow-service", "task-service"})
    void everyOperationRefusesHostileInputWithProblems(String module) throws Exception {
        int port = port(module);
        JsonNode openapi = Mutations.JSON.readTree(call("GET", port, "/q/openapi?format=json", null, 200));
        RouteFuzzer fuzzer = new RouteFuzzer(module, port, openapi, owned, ALSO_AT, CALLS_UPSTREAM::contains, ALICE, BOB);
        List<RouteFuzzer.Finding> findings = new java.util.ArrayList<>(fuzzer.run());

        HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() != 200 || !services.get(module).process().isAlive()) {
            findings.add(new RouteFuzzer.Finding(module, "GET /q/health/ready after fuzzing", ready.statusCode(),
                    "the service is not ready", ready.body()));
        }
        for (Map.Entry<String, String> object : owned.entrySet()) {
            if (serves(module, object.getKey())) {
                String path = filled(object.getKey());
                int status = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", ALICE).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 404 && !object.getKey().startsWith("/mcp/")) {
                    findings.add(new RouteFuzzer.Finding(module, "GET " + path, status,
                            "Alice's object is gone after the other user's requests", ""));
                }
            }
        }
        // Refused uploads leave no file open (closing is asynchronous: a moment is allowed).
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> openStoredFiles(module) == 0);
        } catch (ConditionTimeoutException e) {
            findings.add(new RouteFuzzer.Finding(module, "(process)", 0, openStoredFiles(module)
                    + " stored files left open", ""));
        }
        System.out.printf("route fuzzer: %s: %d requests, %d findings%n", module, fuzzer.requestsSent(), findings.size());
        assertTrue(findings.isEmpty(), findings.size() + " findings:\n" + findings.stream().limit(60)
                .map(RouteFuzzer.Finding::toString).collect(Collectors.joining("\n")));
    }

    /** The template with each parameter filled with Alice's object it names (a trigger's path names its workflow too). */
    private String filled(String template) {
        String path = template;
        Matcher params = Pattern.compile("\\{[^}]+}").matcher(template);
        while (params.find()) {
            String upTo = template.substring(0, params.end());
            path = path.replace(params.group(), owned.getOrDefault(upTo, owned.get(template)));
        }
        return path;
    }

    private static boolean serves(String module, String template) {
        return switch (module) {
            case "llm-service" -> template.startsWith("/api/llm/");
            case "mcp-gateway" -> template.startsWith("/api/mcp/") || template.startsWith("/mcp/");
            case "session-service" -> template.startsWith("/api/sessions/") || template.startsWith("/api/messages/")
                    || template.startsWith("/api/roundtables/");
            case "workflow-service" -> template.startsWith("/api/workflows/") || template.startsWith("/api/executions/")
                    || template.startsWith("/api/hooks/");
            default -> template.startsWith("/api/v1/");
        };
    }

    /** The service's open descriptors onto task-service's storage (0 where /proc cannot tell). */
    private long openStoredFiles(String module) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(services.get(module).process().pid()), "fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(files);
                } catch (Exception e) {
                    return false;
                }
            }).count();
        } catch (Exception e) {
            return 0;
        }
    }
}
