package dev.suite.mcp.ssrf;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

/** A shared deployment: private networks are off limits, including names that resolve into them. */
@QuarkusTest
@TestProfile(StrictNetworkTest.Strict.class)
class StrictNetworkTest {

    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("suite.mcp.allow-private-networks", "false", "suite.mcp.stdio.allowed-commands", "npx");
        }
    }

    static String name() {
        return "strict-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void literalPrivateAddressesAreRefusedAtRegistration() {
        as(ALICE).body(Map.of("name", name(), "type", "http-stream", "url", "http://127.0.0.1:3001/mcp"))
                .post("/api/mcp/servers").then().statusCode(400).body("errors.field", hasItem("url"));
        as(ALICE).body(Map.of("name", name(), "type", "http-stream", "url", "http://10.0.0.5/mcp"))
                .post("/api/mcp/servers").then().statusCode(400).body("errors.field", hasItem("url"));
    }

    @Test
    void namesResolvingToPrivateAddressesAreRefusedWhenReached() {
        String id = as(ALICE).body(Map.of("name", name(), "type", "http-stream", "url", "http://localhost:3001/mcp"))
                .post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
        as(ALICE).get("/api/mcp/servers/" + id + "/tools").then().statusCode(403)
                .body("detail", containsString("loopback or private"));
        as(ALICE).header("Accept", "application/json, text/event-stream")
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of(
                        "protocolVersion", "2025-11-25", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "t", "version", "1"))))
                .post("/mcp/servers/" + id).then().statusCode(403);
    }

    @Test
    void onlyAllowedCommandsMayRunAsStdioServers() {
        as(ALICE).body(Map.of("name", name(), "type", "stdio", "command", "/bin/sh", "args", List.of("-c", "id")))
                .post("/api/mcp/servers").then().statusCode(400).body("errors.field", hasItem("command"));
        as(ALICE).body(Map.of("name", name(), "type", "stdio", "command", "npx", "args", List.of("-y", "x")))
                .post("/api/mcp/servers").then().statusCode(201);
    }
}
