package dev.suite.mcp.proxy;

import dev.suite.mcp.NodeServers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Browsers: CORS on the MCP routes; clients of the aggregate: told when their set of servers changes. */
@QuarkusTest
class CorsAndListChangesTest {

    @TestHTTPResource("/mcp")
    URL aggregate;

    @Test
    void preflightIsAnsweredWithoutCredentialsAndAllowsTheMcpHeaders() {
        given().header("Origin", "http://localhost:5173")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,mcp-session-id,mcp-protocol-version")
                .options("/mcp/servers/any")
                .then().statusCode(204)
                .header("Access-Control-Allow-Origin", "http://localhost:5173")
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Mcp-Session-Id"));
    }

    @Test
    void sessionIdIsExposedToAllowedOriginsAndOtherOriginsAreRefused() {
        as(ALICE).header("Origin", "http://localhost:5173").header("Accept", "application/json, text/event-stream")
                .body(initialize()).post("/mcp")
                .then().statusCode(200)
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("Mcp-Session-Id"));
        as(ALICE).header("Origin", "http://evil.example").header("Accept", "application/json, text/event-stream")
                .body(initialize()).post("/mcp")
                .then().statusCode(403);
    }

    @Test
    void aggregateClientsAreToldWhenTheirServersChange() throws Exception {
        String session = as(ALICE).header("Accept", "application/json, text/event-stream").body(initialize())
                .post("/mcp").then().statusCode(200).extract().header("Mcp-Session-Id");
        HttpURLConnection stream = (HttpURLConnection) aggregate.openConnection();
        stream.setRequestProperty("Authorization", "Bearer alice-key");
        stream.setRequestProperty("Accept", "text/event-stream");
        stream.setRequestProperty("Mcp-Session-Id", session);
        stream.setReadTimeout(20_000);
        assertTrue(stream.getResponseCode() == 200);
        CompletableFuture<String> heard = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.contains("notifications/tools/list_changed")) {
                        return line;
                    }
                }
                return null;
            } catch (Exception e) {
                return "failed: " + e;
            }
        });
        // The stream is open once its headers arrived; a new server changes the aggregate's lists.
        as(ALICE).body(Map.of("name", "lc-" + UUID.randomUUID().toString().substring(0, 8), "type", "stdio",
                "command", "node", "args", List.of(NodeServers.script("@modelcontextprotocol/server-memory",
                        "dist/index.js")))).post("/api/mcp/servers").then().statusCode(201);
        String line = heard.get(Duration.ofSeconds(20).toSeconds(), TimeUnit.SECONDS);
        stream.disconnect();
        assertTrue(line != null && line.contains("list_changed"), String.valueOf(line));
    }

    static Map<String, Object> initialize() {
        return Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of(
                "protocolVersion", "2025-11-25", "capabilities", Map.of(),
                "clientInfo", Map.of("name", "browser", "version", "1")));
    }
}
