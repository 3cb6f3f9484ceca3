package dev.suite.mcp.feedback;

import dev.suite.commons.testing.PerimeterChecks;
import dev.suite.commons.testing.RawHttp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The toolbar listener as a stagewise-style toolbar meets it, in {@code local} mode where it is on
 * by default: ping and health while scanning, then the toolbar protocol over a WebSocket at the
 * root, behind the same perimeter as the main port. Its port is taken here, as by a second replica
 * on the machine: the gateway starts all the same, on a free port.
 */
@QuarkusTest
@TestProfile(ToolbarPortTest.LocalWithPortTaken.class)
class ToolbarPortTest {

    /** Held for the whole class, as another process would hold 5748. */
    static final ServerSocket TAKEN = take();

    public static class LocalWithPortTaken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("suite.auth.mode", "local", "suite.toolbar.port", Integer.toString(TAKEN.getLocalPort()));
        }
    }

    private static ServerSocket take() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void release() throws IOException {
        TAKEN.close();
    }

    @Inject
    ToolbarPort listener;
    /** The taken port, as the gateway was told it (the profile may run in another class loader than this test). */
    @ConfigProperty(name = "suite.toolbar.port")
    int configured;
    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();

    int port() {
        return await().atMost(Duration.ofSeconds(10)).until(listener::port, p -> p.isPresent()).getAsInt();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTakenPortIsNoReasonNotToListen() {
        assertNotEquals(configured, port());
    }

    @Test
    void toolbarsFindItAsTheyScanPorts() throws Exception {
        HttpResponse<String> ping = get("/ping/stagewise");
        assertEquals(200, ping.statusCode());
        assertEquals("stagewise", ping.body());
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode());
        JsonObject body = new JsonObject(health.body());
        assertEquals("ok", body.getString("status"));
        assertEquals("mcp-gateway", body.getString("service"));
        assertEquals(port(), body.getInteger("port"));
    }

    @Test
    void theSocketAtTheRootSpeaksTheToolbarProtocolAndThePromptReachesTheFeedbackPage() throws Exception {
        ToolbarTest.Socket page = ToolbarTest.Socket.open(URI.create(base.toString().replace("http", "ws")
                + "ws/feedback"), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> page.heard("\"type\":\"pending\""));

        ToolbarTest.Socket toolbar = ToolbarTest.Socket.open(URI.create("ws://localhost:" + port() + "/"), null);
        JsonObject info = toolbar.call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getSessionInfo\"}");
        assertEquals("local", info.getJsonObject("result").getString("user"));
        JsonObject sent = toolbar.call("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"triggerAgentPrompt\",\"params\":"
                + "{\"prompt\":\"Round the corners\",\"url\":\"http://localhost:5173/\"}}");
        assertTrue(sent.getJsonObject("result").getBoolean("delivered"), sent.encode());
        await().atMost(Duration.ofSeconds(10)).until(() -> page.heard("Round the corners"));

        ToolbarTest.Socket named = ToolbarTest.Socket.open(URI.create("ws://127.0.0.1:" + port() + "/ws/toolbar"), null);
        assertEquals("local", named.call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getSessionInfo\"}")
                .getJsonObject("result").getString("user"));
    }

    @Test
    void theApiIsNotServedOnTheToolbarPort() throws Exception {
        for (String path : new String[] {"/api/mcp/servers", "/mcp", "/", "/feedback/", "/q/health"}) {
            HttpResponse<String> answer = get(path);
            assertEquals(404, answer.statusCode(), path);
            assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), path);
        }
        RawHttp.Response post = RawHttp.post(port(), "/ping/stagewise", "127.0.0.1:" + port(), "application/json",
                "{}", "X-Suite-Test: 1");
        PerimeterChecks.assertProblem(post, 404, "a POST to the ping");
    }

    @Test
    void foreignHostsAndOriginsAreRefusedThereToo() throws Exception {
        PerimeterChecks.assertHeld(port(), "/ping/stagewise", "/ping/stagewise", "/", null);
    }
}
