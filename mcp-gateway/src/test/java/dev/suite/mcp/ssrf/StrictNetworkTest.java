package dev.suite.mcp.ssrf;

import dev.suite.commons.testing.ScriptedDns;
import dev.suite.mcp.ModernFakeServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A shared deployment: private networks are off limits, including names that resolve into them. */
@QuarkusTest
@TestProfile(StrictNetworkTest.Strict.class)
class StrictNetworkTest {

    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("suite.outbound.allow-private-networks", "false", "suite.mcp.stdio.allowed-commands", "npx",
                    "suite.mcp.connect-timeout", "1s");
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
        as(ALICE).get("/api/mcp/servers/" + id + "/tools").then().statusCode(502)
                .body("detail", containsString("not allowed"))
                .body("detail", containsString("loopback or private"));
        as(ALICE).header("Accept", "application/json, text/event-stream")
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of(
                        "protocolVersion", "2025-11-25", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "t", "version", "1"))))
                .post("/mcp/servers/" + id).then().statusCode(502);
    }

    @Test
    void aNameThatRebindsBetweenCheckAndConnectNeverReachesItsSecondAddress() {
        try (ModernFakeServer upstream = new ModernFakeServer()) {
            int port = URI.create(upstream.url()).getPort();
            // Public at the first lookup (a documentation address nothing answers on), loopback after.
            ScriptedDns.script("mcp.rebind.test", "192.0.2.10", "127.0.0.1");
            String id = as(ALICE).body(Map.of("name", name(), "type", "http-stream",
                            "url", "http://mcp.rebind.test:" + port + "/mcp"))
                    .post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
            as(ALICE).get("/api/mcp/servers/" + id + "/tools").then().statusCode(502)
                    .body("detail", containsString("could not be reached"));
            assertEquals(1, ScriptedDns.lookups("mcp.rebind.test"), "every connection used the one checked answer");
            assertTrue(upstream.seen.isEmpty(), "the loopback server was never reached");
        }
    }

    @Test
    void metadataAndMappedPrivateAddressesAreRefusedAtRegistration() {
        as(ALICE).body(Map.of("name", name(), "type", "http-stream", "url", "http://169.254.169.254/mcp"))
                .post("/api/mcp/servers").then().statusCode(400).body("errors.field", hasItem("url"));
        as(ALICE).body(Map.of("name", name(), "type", "http-stream", "url", "http://[::ffff:10.0.0.1]/mcp"))
                .post("/api/mcp/servers").then().statusCode(400).body("errors.field", hasItem("url"));
    }

    @Test
    void onlyAllowedCommandsMayRunAsStdioServers() {
        as(ALICE).body(Map.of("name", name(), "type", "stdio", "command", "/bin/sh", "args", List.of("-c", "id")))
                .post("/api/mcp/servers").then().statusCode(400).body("errors.field", hasItem("command"));
        as(ALICE).body(Map.of("name", name(), "type", "stdio", "command", "npx", "args", List.of("-y", "x")))
                .post("/api/mcp/servers").then().statusCode(201);
    }
}
