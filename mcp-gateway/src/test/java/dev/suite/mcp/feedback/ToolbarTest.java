package dev.suite.mcp.feedback;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A browser toolbar's prompt reaches the user's feedback pages and MCP clients, and nobody else's. */
@QuarkusTest
class ToolbarTest {

    @TestHTTPResource("/")
    URL base;
    @Inject
    ToolbarPort toolbarPort;

    /** A WebSocket client that keeps every text message it receives. */
    static final class Socket implements WebSocket.Listener {
        final List<String> received = new CopyOnWriteArrayList<>();
        WebSocket socket;

        static Socket open(URL base, String path, String user) throws Exception {
            return open(URI.create(base.toString().replace("http", "ws") + path), "Bearer " + user + "-key");
        }

        /** A socket at {@code uri}, with this {@code Authorization} (none when null), as a browser toolbar opens it. */
        static Socket open(URI uri, String authorization) throws Exception {
            Socket client = new Socket();
            WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
            if (authorization != null) {
                builder.header("Authorization", authorization);
            }
            client.socket = builder.buildAsync(uri, client).get(10, TimeUnit.SECONDS);
            return client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            received.add(data.toString());
            webSocket.request(1);
            return null;
        }

        JsonObject call(String message) {
            int before = received.size();
            socket.sendText(message, true).join();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() > before);
            return new JsonObject(received.get(before));
        }

        boolean heard(String fragment) {
            return received.stream().anyMatch(m -> m.contains(fragment));
        }
    }

    @Test
    void theToolbarListenerIsOffOutsideLocalMode() {
        assertTrue(toolbarPort.port().isEmpty());
    }

    @Test
    void aPromptReachesTheUsersPagesAndAgentsOnly() throws Exception {
        Socket alicePage = Socket.open(base, "ws/feedback", ALICE);
        Socket bobPage = Socket.open(base, "ws/feedback", "bob");
        await().atMost(Duration.ofSeconds(10)).until(() -> alicePage.heard("\"type\":\"pending\"")
                && bobPage.heard("\"type\":\"pending\""));

        String session = as(ALICE).header("Accept", "application/json, text/event-stream")
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of(
                        "protocolVersion", "2025-11-25", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "agent", "version", "1"))))
                .post("/mcp").then().statusCode(200).extract().header("Mcp-Session-Id");
        HttpURLConnection stream = (HttpURLConnection) new URL(base + "mcp").openConnection();
        stream.setRequestProperty("Authorization", "Bearer alice-key");
        stream.setRequestProperty("Accept", "text/event-stream");
        stream.setRequestProperty("Mcp-Session-Id", session);
        stream.setReadTimeout(20_000);
        assertEquals(200, stream.getResponseCode());
        CompletableFuture<String> agentHeard = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.contains("toolbar_prompt")) {
                        return line;
                    }
                }
                return null;
            } catch (Exception e) {
                return "failed: " + e;
            }
        });

        Socket toolbar = Socket.open(base, "ws/toolbar", ALICE);
        JsonObject info = toolbar.call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getSessionInfo\"}");
        assertEquals(ALICE, info.getJsonObject("result").getString("user"));
        JsonObject bad = toolbar.call("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"triggerAgentPrompt\",\"params\":{}}");
        assertEquals(-32602, bad.getJsonObject("error").getInteger("code"));
        JsonObject sent = toolbar.call("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"triggerAgentPrompt\",\"params\":"
                + "{\"prompt\":\"Make this button blue\",\"url\":\"http://localhost:5173/settings\","
                + "\"selectedElements\":[{\"tag\":\"button\",\"id\":\"save\"}],\"text\":\"Save\"}}");
        assertTrue(sent.getJsonObject("result").getBoolean("delivered"));

        await().atMost(Duration.ofSeconds(10)).until(() -> alicePage.heard("Make this button blue"));
        String line = agentHeard.get(20, TimeUnit.SECONDS);
        stream.disconnect();
        assertTrue(line != null && line.contains("Make this button blue") && line.contains("/settings"), line);
        assertTrue(bobPage.received.stream().noneMatch(m -> m.contains("Make this button blue")), bobPage.received.toString());
    }
}
