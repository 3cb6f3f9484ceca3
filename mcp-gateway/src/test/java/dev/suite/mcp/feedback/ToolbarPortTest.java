package dev.suite.mcp.feedback;

import dev.suite.mcp.NodeServers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static dev.suite.mcp.TestUsers.ALICE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Toolbars that expect a fixed port reach /ws/toolbar there, and nothing else. */
@QuarkusTest
@TestProfile(ToolbarPortTest.FixedPort.class)
class ToolbarPortTest {

    static final int PORT = NodeServers.freePort();

    public static class FixedPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("suite.toolbar.port", Integer.toString(PORT));
        }
    }

    @Test
    void theToolbarPortServesTheToolbarSocketOnly() throws Exception {
        URL base = new URL("http://127.0.0.1:" + PORT + "/");
        ToolbarTest.Socket toolbar = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> ToolbarTest.Socket.open(base, "ws/toolbar", ALICE), s -> s != null);
        JsonObject info = toolbar.call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getSessionInfo\"}");
        assertEquals(ALICE, info.getJsonObject("result").getString("user"));
        int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "api/mcp/servers"))
                .header("Authorization", "Bearer alice-key").build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        assertEquals(404, status);
    }
}
