package dev.suite.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.suite.it.Launcher.call;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two session-service replicas with the real llm-service and mcp-gateway behind them (and a real
 * MCP server behind the gateway): a socket on one replica sees what the other writes, an
 * assistant message's tool call runs through the gateway, and a roundtable of echo participants
 * discusses through llm-service, streamed to the other replica's socket.
 */
class SessionReplicasIT {

    private final Launcher launcher = new Launcher();

    @AfterEach
    void stop() throws InterruptedException {
        launcher.close();
    }

    @Test
    void sessionsWorkAcrossReplicasWithTheRealServices() throws Exception {
        for (String module : List.of("llm-service", "mcp-gateway", "session-service")) {
            Assumptions.assumeTrue(Files.exists(Launcher.jar(module)), "needs the JVM package of " + module);
        }
        Assumptions.assumeTrue(Files.exists(McpReplicasIT.NODE.resolve("node_modules/.package-lock.json")),
                "needs the npm packages the mcp-gateway tests install");
        String prefix = "it-" + UUID.randomUUID() + ":";
        int everything = McpReplicasIT.startEverything(launcher);
        int llm = launcher.service("llm-service", Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "mysql://127.0.0.1:3306/suite_llm_test",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mariadb://127.0.0.1:3306/suite_llm_test",
                "SUITE_REDIS_PREFIX", prefix));
        int mcp = launcher.service("mcp-gateway", Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "mysql://127.0.0.1:3306/suite_mcp_test",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mariadb://127.0.0.1:3306/suite_mcp_test",
                "SUITE_ALLOW_PRIVATE_NETWORKS", "true", "SUITE_REDIS_PREFIX", prefix));
        Map<String, String> session = Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "mysql://127.0.0.1:3306/suite_session_test",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mariadb://127.0.0.1:3306/suite_session_test",
                "SUITE_REDIS_PREFIX", prefix,
                "SUITE_LLM_URL", "http://127.0.0.1:" + llm, "SUITE_MCP_URL", "http://127.0.0.1:" + mcp);
        int a = launcher.service("session-service", session);
        int b = launcher.service("session-service", session);

        String config = field(call("POST", llm, "/api/llm/configs",
                "{\"name\":\"echo-" + UUID.randomUUID() + "\",\"provider\":\"echo\"}", 201), "config_id");
        String server = field(call("POST", mcp, "/api/mcp/servers", "{\"name\":\"everything-" + UUID.randomUUID()
                + "\",\"type\":\"http-stream\",\"url\":\"http://127.0.0.1:" + everything + "/mcp\"}", 201), "server_id");
        String sessionId = field(call("POST", a, "/api/sessions",
                "{\"title\":\"it\",\"session_type\":\"agent\",\"llm_config_id\":\"" + config + "\"}", 201), "session_id");

        List<String> events = new CopyOnWriteArrayList<>();
        WebSocket socket = Launcher.HTTP.newWebSocketBuilder().header("Authorization", "Bearer alice-key")
                .buildAsync(URI.create("ws://127.0.0.1:" + b + "/ws/sessions"), new Collector(events)).join();
        socket.sendText("{\"type\":\"subscribe\",\"session_ids\":[\"" + sessionId + "\"]}", true).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().anyMatch(e -> e.contains("\"subscribed\"")));

        // Written on A, seen on B.
        call("POST", a, "/api/sessions/" + sessionId + "/messages", "{\"role\":\"user\",\"content\":\"call the echo tool\"}", 201);
        await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().anyMatch(e -> e.contains("call the echo tool")));

        // A tool call recorded on A, executed through B, the gateway and server-everything.
        String assistant = field(call("POST", a, "/api/sessions/" + sessionId + "/messages",
                "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                        + "\"server_id\":\"" + server + "\",\"function\":{\"name\":\"echo\","
                        + "\"arguments\":\"{\\\"message\\\":\\\"through the suite\\\"}\"}}]}", 201), "message_id");
        String executed = call("POST", b, "/api/messages/" + assistant + "/execute", null, 201);
        assertTrue(executed.contains("Echo: through the suite"), executed);
        assertTrue(executed.contains("\"tool_call_id\":\"c1\""), executed);

        // A roundtable on A, with llm-service's echo provider, streamed to B's socket.
        String roundtable = field(call("POST", a, "/api/roundtables", "{\"title\":\"it\",\"max_rounds\":1,\"participants\":["
                + "{\"name\":\"Ada\",\"llm_config_id\":\"" + config + "\"},{\"name\":\"Bo\",\"llm_config_id\":\"" + config
                + "\"}]}", 201), "roundtable_id");
        socket.sendText("{\"type\":\"subscribe\",\"roundtable_ids\":[\"" + roundtable + "\"]}", true).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().filter(e -> e.contains("\"subscribed\"")).count() == 2);
        call("POST", a, "/api/roundtables/" + roundtable + "/messages", "{\"content\":\"tea or coffee\"}", 202);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(e -> e.contains("roundtable.stopped")));
        assertTrue(events.stream().anyMatch(e -> e.contains("roundtable.turn.delta")));
        String transcript = call("GET", b, "/api/roundtables/" + roundtable + "/messages", null, 200);
        assertTrue(transcript.contains("\"speaker\":\"Ada\",\"role\":\"assistant\",\"content\":\"tea or coffee\""), transcript);
        assertTrue(transcript.contains("\"speaker\":\"Bo\",\"role\":\"assistant\",\"content\":\"Ada: tea or coffee\""), transcript);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    /** Keeps every text message, reassembled from its frames. */
    static final class Collector implements WebSocket.Listener {

        private final List<String> events;
        private final StringBuilder partial = new StringBuilder();

        Collector(List<String> events) {
            this.events = events;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                events.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
