package dev.suite.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static dev.suite.it.Launcher.call;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two workflow-service replicas from the packaged jar sharing MySQL and one Redis prefix, with the
 * real llm-service behind them: the queue is shared under one global cap, a killed replica's
 * execution resumes on the other from its completed nodes, an interrupt reaches the replica that
 * runs the execution, and its events stream to (and replay from) a socket on the other replica.
 *
 * <p>The replicas are started once for the class: each JVM takes several seconds to start, and a
 * second cluster beside them would not be isolated by its Redis prefix (each reconciler takes the
 * other's executions, which MySQL shows running without a lease it knows, for lost ones). A test
 * that kills a replica leaves the replacement to the next test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkflowReplicasIT {

    /*
     * Each replica may run two, the suite three: both replicas together could run four, so only
     * the global cap keeps them at three. A replica cap below the global one also makes both take
     * work deterministically — a replica that frees a slot takes the next execution itself at once,
     * so with a replica cap at or above the global one a single replica can end up running them all.
     */
    private static final int GLOBAL_MAX_RUNNING = 3;
    private static final int REPLICA_MAX_RUNNING = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Event ids are Redis stream ids, {@code <ms>-<seq>}. */
    private static final Comparator<String> STREAM_ORDER = Comparator
            .comparingLong((String id) -> Long.parseLong(id.substring(0, id.indexOf('-'))))
            .thenComparingLong(id -> Long.parseLong(id.substring(id.indexOf('-') + 1)));

    private final Launcher launcher = new Launcher();
    private final Map<String, String> settings = new HashMap<>();
    private final Map<String, Launcher.Started> replicas = new HashMap<>();
    private String echoConfig;

    private int port(String name) {
        return replicas.get(name).port();
    }

    private static boolean ranOn(JsonNode execution, String name) {
        return execution.path("replica_id").asText("").startsWith(name + "-");
    }

    private static String other(String name) {
        return name.equals("a") ? "b" : "a";
    }

    @BeforeAll
    void startReplicas() throws Exception {
        for (String module : List.of("llm-service", "workflow-service")) {
            assumeTrue(Files.exists(Launcher.jar(module)), "needs the JVM package of " + module);
        }
        String prefix = "it-" + UUID.randomUUID() + ":";
        int llm = launcher.service("llm-service", Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "mysql://127.0.0.1:3306/suite_llm_test",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mariadb://127.0.0.1:3306/suite_llm_test",
                "SUITE_REDIS_PREFIX", prefix));
        echoConfig = JSON.readTree(call("POST", llm, "/api/llm/configs",
                "{\"name\":\"echo-" + UUID.randomUUID() + "\",\"provider\":\"echo\"}", 201)).path("config_id").asText();
        settings.putAll(Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "mysql://127.0.0.1:3306/suite_workflow_test",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mariadb://127.0.0.1:3306/suite_workflow_test",
                "SUITE_REDIS_PREFIX", prefix,
                "SUITE_LLM_URL", "http://127.0.0.1:" + llm,
                "SUITE_WORKFLOW_LEASE", "3s",
                "SUITE_WORKFLOW_RECONCILE_INTERVAL", "1s",
                "SUITE_WORKFLOW_GLOBAL_MAX_RUNNING", Integer.toString(GLOBAL_MAX_RUNNING),
                "SUITE_WORKFLOW_REPLICA_MAX_RUNNING", Integer.toString(REPLICA_MAX_RUNNING)));
        replicasUp();
    }

    /** Replaces a replica an earlier test killed, as its Deployment would. */
    @BeforeEach
    void replicasUp() throws Exception {
        for (String name : List.of("a", "b")) {
            Launcher.Started replica = replicas.get(name);
            if (replica == null || !replica.process().isAlive()) {
                Map<String, String> env = new HashMap<>(settings);
                // A replica id starts with the HOSTNAME (a pod's name): it tells which replica ran an execution.
                env.put("HOSTNAME", name);
                replicas.put(name, launcher.start("workflow-service", env));
            }
        }
    }

    @AfterAll
    void stop() throws InterruptedException {
        launcher.close();
    }

    @Test
    void replicasShareTheQueueAndNeverRunMoreThanTheGlobalCap() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(submit(port(i % 2 == 0 ? "a" : "b"), """
                    {"nodes":[{"id":"wait","type":"delay","config":{"ms":1500}}],"edges":[]}"""));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
                .allMatch(id -> execution(port("a"), id).path("status").asText().equals("completed")));

        List<JsonNode> runs = new ArrayList<>();
        for (String id : ids) {
            runs.add(execution(port("b"), id));
        }
        assertTrue(maxOverlap(runs) <= GLOBAL_MAX_RUNNING, "more than " + GLOBAL_MAX_RUNNING + " ran at once: " + runs);
        assertTrue(runs.stream().anyMatch(run -> ranOn(run, "a")), "replica a ran none: " + runs);
        assertTrue(runs.stream().anyMatch(run -> ranOn(run, "b")), "replica b ran none: " + runs);
    }

    @Test
    void aKilledReplicasExecutionResumesOnTheOtherWithoutRerunningCompletedNodes() throws Exception {
        String id = submit(port("a"), """
                {"nodes":[{"id":"first","type":"noop","inputs":{"value":"kept"}},
                          {"id":"wait","type":"delay","config":{"ms":6000}},
                          {"id":"last","type":"noop"}],
                 "edges":[{"id":"e1","source":"first","source_handle":"value","target":"wait","target_handle":"value"},
                          {"id":"e2","source":"wait","source_handle":"value","target":"last","target_handle":"value"}],
                 "output_mappings":{"result":{"node_id":"last","handle":"value"}}}""");
        // Killed mid-wait, after the journal has first's completion: that is what a resume must keep.
        AtomicReference<JsonNode> before = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            before.set(execution(port("a"), id));
            return before.get().path("status").asText().equals("running")
                    && node(before.get(), "first").path("status").asText().equals("completed")
                    && node(before.get(), "wait").path("status").asText().equals("running");
        });
        // Claims race: the replica that took it is not necessarily the one it was submitted to.
        String owner = ranOn(before.get(), "a") ? "a" : "b";
        String survivor = other(owner);
        assertTrue(ranOn(before.get(), owner), before.get().toString());
        Process killed = replicas.get(owner).process();
        killed.destroyForcibly();
        assertTrue(killed.waitFor(10, TimeUnit.SECONDS));

        AtomicReference<JsonNode> after = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            after.set(execution(port(survivor), id));
            return after.get().path("status").asText().equals("completed");
        });
        JsonNode done = after.get();
        assertEquals(1, done.path("resumes").asInt(), done.toString());
        assertTrue(ranOn(done, survivor), done.toString());
        assertEquals(node(before.get(), "first").path("started_at"), node(done, "first").path("started_at"), done.toString());
        assertEquals(1, node(done, "first").path("attempts").asInt(), done.toString());
        assertEquals("kept", done.path("outputs").path("result").asText(), done.toString());
    }

    @Test
    void anInterruptSentToEitherReplicaStopsTheExecutionWhereverItRuns() throws Exception {
        String id = submit(port("b"), """
                {"nodes":[{"id":"wait","type":"delay","config":{"ms":60000}}],"edges":[]}""");
        AtomicReference<JsonNode> running = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            running.set(execution(port("b"), id));
            return running.get().path("status").asText().equals("running");
        });
        String elsewhere = other(ranOn(running.get(), "a") ? "a" : "b");

        call("POST", port(elsewhere), "/api/executions/" + id + "/interrupt", null, 202);
        AtomicReference<JsonNode> ended = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            ended.set(execution(port(elsewhere), id));
            return ended.get().path("status").asText().equals("interrupted");
        });
        assertEquals("interrupted", node(ended.get(), "wait").path("status").asText(), ended.get().toString());
    }

    @Test
    void eventsOfAnExecutionStreamToTheOtherReplicasSocketAndReplayAfterAnEventId() throws Exception {
        String prompt = "Tokens cross replicas, word by word.";
        List<String> onA = new CopyOnWriteArrayList<>();
        List<String> onB = new CopyOnWriteArrayList<>();
        WebSocket socketA = socket(port("a"), onA);
        WebSocket socketB = socket(port("b"), onB);

        // The delay holds the tokens back until B follows the execution, so they reach B live through
        // pub/sub rather than only from the replay (which the second socket below covers).
        socketA.sendText("""
                {"type":"PROMPT_REQUEST","payload":{
                  "nodes":[{"id":"in","type":"interface_input","config":{"name":"prompt"}},
                           {"id":"hold","type":"delay","config":{"ms":1000}},
                           {"id":"chat","type":"llm_chat","config":{"model":"%s"}},
                           {"id":"out","type":"interface_output","config":{"name":"answer"}}],
                  "edges":[{"id":"e1","source":"in","source_handle":"value","target":"hold","target_handle":"value"},
                           {"id":"e2","source":"hold","source_handle":"value","target":"chat","target_handle":"prompt"},
                           {"id":"e3","source":"chat","source_handle":"text","target":"out","target_handle":"value"}],
                  "interface_inputs":[{"name":"prompt","type":"string","required":true}],
                  "inputs":{"prompt":"%s"}}}""".formatted(echoConfig, prompt), true).join();
        String id = frame(onA, "PROMPT_ACCEPTED_RESPONSE", null).path("payload").path("execution_id").asText();

        socketB.sendText("{\"type\":\"SUBSCRIBE\",\"payload\":{\"execution_id\":\"" + id + "\"}}", true).join();
        frame(onB, "SUBSCRIBED", id);
        JsonNode complete = frame(onB, "EXECUTION_COMPLETE", id);
        assertEquals(prompt, complete.path("payload").path("outputs").path("answer").asText(), complete.toString());

        List<JsonNode> events = events(onB, id);
        List<String> eventIds = events.stream().map(e -> e.path("event_id").asText()).toList();
        for (int i = 1; i < eventIds.size(); i++) {
            assertTrue(STREAM_ORDER.compare(eventIds.get(i - 1), eventIds.get(i)) < 0, "each event once, in order: " + onB);
        }
        List<JsonNode> yields = events.stream().filter(e -> e.path("type").asText().equals("NODE_YIELD")).toList();
        assertTrue(yields.size() > 1, "streamed in pieces: " + onB);
        assertEquals(prompt, yields.stream().map(e -> e.path("payload").path("chunk").asText()).collect(Collectors.joining()));
        assertEquals("EXECUTION_COMPLETE", events.get(events.size() - 1).path("type").asText(), onB.toString());

        // A client that saw events up to the first token gets exactly the rest, from either replica.
        String lastSeen = yields.get(0).path("event_id").asText();
        List<String> replayed = new CopyOnWriteArrayList<>();
        WebSocket again = socket(port("b"), replayed);
        again.sendText("{\"type\":\"SUBSCRIBE\",\"payload\":{\"execution_id\":\"" + id + "\",\"last_event_id\":\""
                + lastSeen + "\"}}", true).join();
        frame(replayed, "EXECUTION_COMPLETE", id);
        assertEquals(eventIds.subList(eventIds.indexOf(lastSeen) + 1, eventIds.size()),
                events(replayed, id).stream().map(e -> e.path("event_id").asText()).toList(), replayed.toString());
        assertFalse(replayed.stream().anyMatch(f -> f.contains("REPLAY_INCOMPLETE")), replayed.toString());

        for (WebSocket socket : List.of(socketA, socketB, again)) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }

    private static String submit(int port, String request) throws Exception {
        return JSON.readTree(call("POST", port, "/api/executions", request, 202)).path("execution_id").asText();
    }

    private static JsonNode execution(int port, String id) {
        try {
            return JSON.readTree(call("GET", port, "/api/executions/" + id, null, 200));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode node(JsonNode execution, String nodeId) {
        for (JsonNode node : execution.path("nodes")) {
            if (node.path("node_id").asText().equals(nodeId)) {
                return node;
            }
        }
        return JSON.createObjectNode();
    }

    /**
     * The most executions running at one instant, from their recorded start and end. A start at the
     * very instant another ended is not an overlap: the slot was released after the end was written.
     */
    private static int maxOverlap(List<JsonNode> runs) {
        record Edge(Instant at, int delta) {
        }
        List<Edge> edges = new ArrayList<>();
        for (JsonNode run : runs) {
            edges.add(new Edge(Instant.parse(run.path("started_at").asText()), 1));
            edges.add(new Edge(Instant.parse(run.path("finished_at").asText()), -1));
        }
        edges.sort(Comparator.comparing(Edge::at).thenComparingInt(Edge::delta));
        int now = 0;
        int max = 0;
        for (Edge edge : edges) {
            now += edge.delta();
            max = Math.max(max, now);
        }
        return max;
    }

    private static WebSocket socket(int port, List<String> frames) {
        return Launcher.HTTP.newWebSocketBuilder().header("Authorization", "Bearer alice-key")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/workflows"), new SessionReplicasIT.Collector(frames))
                .join();
    }

    /** Waits for a frame of {@code type} (of execution {@code id} when given) and answers it. */
    private static JsonNode frame(List<String> frames, String type, String id) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (String text : frames) {
                JsonNode frame = JSON.readTree(text);
                if (frame.path("type").asText().equals("ERROR")) {
                    throw new AssertionError(text);
                }
                if (frame.path("type").asText().equals(type)
                        && (id == null || frame.path("payload").path("execution_id").asText().equals(id))) {
                    found.set(frame);
                    return true;
                }
            }
            return false;
        });
        return found.get();
    }

    /** The execution's events (frames with an event_id), in the order the socket got them. */
    private static List<JsonNode> events(List<String> frames, String id) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String text : frames) {
            JsonNode frame = JSON.readTree(text);
            if (frame.hasNonNull("event_id") && frame.path("payload").path("execution_id").asText().equals(id)) {
                out.add(frame);
            }
        }
        return out;
    }

}
