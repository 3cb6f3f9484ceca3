package dev.suite.it;

import org.awaitility.core.ConditionTimeoutException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.suite.it.Launcher.HTTP;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps k8s/observability/metrics.txt — the series the Grafana dashboards and alert rules read —
 * true to what the packaged services export. After {@link SuiteScenario} has gone through every
 * service, two events it does not cause — a chat call of a priced model (the cost counter counts
 * only spend) and a webhook trigger firing — and then each service's {@code /q/metrics} must hold
 * every name metrics.txt lists for it. The services run in local identity mode.
 */
final class DashboardMetrics {

    private static final List<String> SERVICES = List.of("llm-service", "mcp-gateway", "session-service",
            "workflow-service", "task-service");
    private static final Path METRICS = Launcher.ROOT.resolve("k8s/observability/metrics.txt");
    /** Gauges refreshed on a timer (task-service's every 10 s) need a moment after the traffic. */
    private static final Duration SETTLE = Duration.ofSeconds(45);

    private final Map<String, Integer> ports;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private DashboardMetrics(Map<String, Integer> ports) {
        this.ports = ports;
    }

    /** Every service (its own port, by name) exports what metrics.txt lists for it. */
    static void assertExported(Map<String, Integer> ports) throws Exception {
        new DashboardMetrics(ports).check();
    }

    private void check() throws Exception {
        Map<String, Set<String>> expected = listedMetrics();
        assertEquals(Set.copyOf(SERVICES), expected.keySet(), "metrics.txt names metrics of every service");
        pricedChatCall();
        webhookFires();
        Map<String, Set<String>> missing = new TreeMap<>();
        try {
            await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> {
                missing.clear();
                for (Map.Entry<String, Set<String>> service : expected.entrySet()) {
                    Set<String> absent = new TreeSet<>(service.getValue());
                    absent.removeAll(exported(ports.get(service.getKey())));
                    if (!absent.isEmpty()) {
                        missing.put(service.getKey(), absent);
                    }
                }
                return missing.isEmpty();
            });
        } catch (ConditionTimeoutException e) {
            fail("listed in k8s/observability/metrics.txt but not exported after the scenario: " + missing);
        }
    }

    /** metrics.txt: the names each service must export ("all": every service; "prometheus": none of them). */
    private static Map<String, Set<String>> listedMetrics() throws Exception {
        Map<String, Set<String>> byService = new TreeMap<>();
        for (String raw : Files.readAllLines(METRICS)) {
            String line = raw.replaceAll("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] columns = line.split("\\s+");
            assertTrue(columns.length > 1, "metrics.txt: no exporter in \"" + raw + "\"");
            for (int i = 1; i < columns.length; i++) {
                List<String> services = switch (columns[i]) {
                    case "all" -> SERVICES;
                    case "prometheus" -> List.of();
                    default -> List.of(columns[i]);
                };
                services.forEach(s -> byService.computeIfAbsent(s, k -> new TreeSet<>()).add(columns[0]));
            }
        }
        return byService;
    }

    /** The names of the samples a service exports now (Prometheus text: "name{labels} value" or "name value"). */
    private static Set<String> exported(int port) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    }

    /**
     * A chat call whose model has a price: the echo provider costs nothing unless priced, and the
     * cost counter counts only spend. The price is the local user's in the shared test database:
     * it is taken away again.
     */
    private void pricedChatCall() throws Exception {
        int llm = ports.get("llm-service");
        String name = "metrics-echo-" + run;
        send(llm, "POST", "/api/llm/configs", "{\"name\":\"" + name + "\",\"provider\":\"echo\"}", 201);
        send(llm, "PUT", "/api/llm/prices/echo", "{\"input_per_million\":1000,\"output_per_million\":1000}", 200);
        try {
            send(llm, "POST", "/v1/chat/completions", "{\"model\":\"" + name
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"what does this cost\"}]}", 200);
        } finally {
            send(llm, "DELETE", "/api/llm/prices/echo", null, 204);
        }
    }

    /** A webhook trigger's signed call starts a run: workflow.trigger.fired counts firings only. */
    private void webhookFires() throws Exception {
        int workflow = ports.get("workflow-service");
        String workflowId = field(send(workflow, "POST", "/api/workflows", "{\"name\":\"metrics-" + run
                + "\",\"nodes\":[{\"id\":\"a\",\"type\":\"delay\",\"config\":{\"ms\":1}}],\"edges\":[]}", 201),
                "workflow_id");
        String secret = "metrics-secret-" + run;
        String triggerId = field(send(workflow, "POST", "/api/workflows/" + workflowId + "/triggers",
                "{\"kind\":\"webhook\",\"name\":\"metrics\",\"secret\":\"" + secret + "\"}", 201), "trigger_id");
        String body = "{}";
        long time = System.currentTimeMillis() / 1000;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] signed = mac.doFinal((time + "." + body).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> fired = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + workflow
                        + "/api/hooks/" + triggerId))
                .header("Content-Type", "application/json")
                .header("X-Suite-Signature", "t=" + time + ",v1=" + HexFormat.of().formatHex(signed))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(fired.statusCode() == 200 || fired.statusCode() == 202,
                "the webhook call started a run: " + fired.body());
        send(workflow, "DELETE", "/api/workflows/" + workflowId + "/triggers/" + triggerId, null, 204);
    }

    private static String send(int port, String method, String path, String json, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), method + " " + path + ": " + response.body());
        return response.body();
    }

    private static String field(String json, String name) throws Exception {
        String value = Mutations.JSON.readTree(json).path(name).asText();
        assertFalse(value.isEmpty(), name + " in " + json);
        return value;
    }
}
