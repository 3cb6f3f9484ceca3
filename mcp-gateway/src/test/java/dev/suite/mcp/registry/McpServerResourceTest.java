package dev.suite.mcp.registry;

import dev.suite.commons.testing.Race;
import dev.suite.mcp.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.BOB;
import static dev.suite.mcp.TestUsers.as;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class McpServerResourceTest {

    static final String PATH = "/api/mcp/servers";

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> http(String name, String url) {
        return Map.of("name", name, "type", "http-stream", "url", url,
                "headers", Map.of("Authorization", "Bearer ghp-very-secret-token"));
    }

    static String create(String user, Map<String, Object> body) {
        return as(user).body(body).post(PATH).then().statusCode(201).extract().path("server_id");
    }

    @Test
    void createdServerIsReadBackWithoutHeaderValues() {
        String name = uniqueName("gh");
        JsonPath created = as(ALICE).body(http(name, "https://mcp.example.com/mcp")).post(PATH)
                .then().statusCode(201)
                .header("Location", containsString("/api/mcp/servers/"))
                .body("name", equalTo(name))
                .body("type", equalTo("http-stream"))
                .body("enabled", equalTo(true))
                .body("use_proxy", equalTo(true))
                .body("header_names", equalTo(List.of("Authorization")))
                .body("request_timeout_seconds", equalTo(60))
                .body("tool_call_max_seconds", equalTo(600))
                .extract().jsonPath();
        String id = created.getString("server_id");
        String body = as(ALICE).get(PATH + "/" + id).then().statusCode(200).extract().asString();
        assertFalse(body.contains("ghp-very-secret-token"));
        assertFalse(as(ALICE).get(PATH).asString().contains("ghp-very-secret-token"));
        String sealed = (String) TestDb.query("SELECT headers_sealed FROM mcp_server WHERE server_id = ?", id)
                .get(0).get("headers_sealed");
        assertTrue(sealed.startsWith("v1:"));
        assertFalse(sealed.contains("ghp"));
    }

    @Test
    void absentHeadersKeepTheStoredValuesAndNullClearsThem() {
        String id = create(ALICE, http(uniqueName("keep"), "https://mcp.example.com/mcp"));
        as(ALICE).body(Map.of("name", uniqueName("keep"), "type", "http-stream", "url", "https://mcp.example.com/v2"))
                .put(PATH + "/" + id).then().statusCode(200)
                .body("header_names", equalTo(List.of("Authorization")))
                .body("url", equalTo("https://mcp.example.com/v2"));
        var clear = new java.util.HashMap<String, Object>(Map.of("name", uniqueName("keep"), "type", "http-stream",
                "url", "https://mcp.example.com/v2"));
        clear.put("headers", null);
        as(ALICE).body(clear).put(PATH + "/" + id).then().statusCode(200).body("header_names", nullValue());
        assertEquals(0, TestDb.count("SELECT COUNT(*) FROM mcp_server WHERE server_id = ? AND headers_sealed IS NOT NULL", id));
    }

    @Test
    void stdioServerKeepsEnvNamesOnly() {
        String id = as(ALICE).body(Map.of("name", uniqueName("mem"), "type", "stdio", "command", "npx",
                        "args", List.of("-y", "@modelcontextprotocol/server-memory"),
                        "env", Map.of("MEMORY_FILE_PATH", "/tmp/memory.json", "API_TOKEN", "s3cr3t-env")))
                .post(PATH).then().statusCode(201)
                .body("env_names", equalTo(List.of("API_TOKEN", "MEMORY_FILE_PATH")))
                .body("args", equalTo(List.of("-y", "@modelcontextprotocol/server-memory")))
                .body("url", nullValue())
                .extract().path("server_id");
        assertFalse(as(ALICE).get(PATH + "/" + id).asString().contains("s3cr3t-env"));
    }

    @Test
    void everyInvalidFieldIsReportedInOneProblem() {
        as(ALICE).body(Map.of("name", " ", "type", "websocket", "request_timeout_seconds", 0,
                        "name_prefix", "bad prefix!", "tools_deny", List.of(" ")))
                .post(PATH).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("name", "type", "request_timeout_seconds", "name_prefix",
                        "tools_deny"));
        as(ALICE).body(Map.of("name", uniqueName("x"), "type", "http-stream", "command", "node",
                        "headers", Map.of("Mcp-Session-Id", "forged", "X-Ok", "a\r\nInjected: yes")))
                .post(PATH).then().statusCode(400)
                .body("errors.field", containsInAnyOrder("url", "command", "headers", "headers"));
        as(ALICE).body(Map.of("name", uniqueName("x"), "type", "stdio", "url", "https://x.example/",
                        "cwd", "relative/dir", "env", Map.of("1BAD", "v")))
                .post(PATH).then().statusCode(400)
                .body("errors.field", containsInAnyOrder("command", "url", "cwd", "env"));
        // Free-form commands are allowed here (the user is the operator), loader variables still not.
        as(ALICE).body(Map.of("name", uniqueName("x"), "type", "stdio", "command", "node",
                        "env", Map.of("LD_PRELOAD", "/tmp/evil.so", "NODE_OPTIONS", "--require /tmp/evil.js")))
                .post(PATH).then().statusCode(400)
                .body("errors.field", containsInAnyOrder("env", "env"));
    }

    @Test
    void urlsIntoMetadataOrLinkLocalRangesAreRefused() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/",
                "http://[fe80::1]/mcp", "ftp://example.com/", "http://user:pw@example.com/mcp")) {
            as(ALICE).body(Map.of("name", uniqueName("ssrf"), "type", "http-stream", "url", url))
                    .post(PATH).then().statusCode(400).body("errors.field", hasItem("url"));
        }
    }

    @Test
    void namesAreUniquePerOwnerOnly() {
        String name = uniqueName("dup");
        create(ALICE, http(name, "https://a.example/mcp"));
        as(ALICE).body(http(name, "https://b.example/mcp")).post(PATH).then().statusCode(409);
        create(BOB, http(name, "https://b.example/mcp"));
    }

    @Test
    void concurrentCreatesOfOneNameGiveOneServerAndConflicts() throws Exception {
        Map<String, Object> body = Map.of("name", "race-" + UUID.randomUUID().toString().substring(0, 8),
                "type", "http-stream", "url", "https://mcp.example.com/mcp");
        List<Integer> statuses = Race.run(6, () -> as(ALICE).body(body).post("/api/mcp/servers").then().extract().statusCode());
        assertEquals(1, Collections.frequency(statuses, 201), statuses.toString());
        assertEquals(5, Collections.frequency(statuses, 409), statuses.toString());
    }

    @Test
    void anotherUsersServerIsNotFound() {
        String id = create(ALICE, http(uniqueName("own"), "https://a.example/mcp"));
        as(BOB).get(PATH + "/" + id).then().statusCode(404);
        as(BOB).body(http(uniqueName("own"), "https://a.example/mcp")).put(PATH + "/" + id).then().statusCode(404);
        as(BOB).delete(PATH + "/" + id).then().statusCode(404);
        assertFalse(as(BOB).get(PATH + "?limit=200").asString().contains(id));
        as(ALICE).delete(PATH + "/" + id).then().statusCode(204);
        as(ALICE).get(PATH + "/" + id).then().statusCode(404);
    }

    @Test
    void listPagesNewestFirst() {
        String first = create(BOB, http(uniqueName("p"), "https://a.example/mcp"));
        String second = create(BOB, http(uniqueName("p"), "https://a.example/mcp"));
        JsonPath page = as(BOB).get(PATH + "?limit=1").then().statusCode(200).extract().jsonPath();
        assertEquals(second, page.getString("items[0].server_id"));
        String next = page.getString("next_before");
        as(BOB).get(PATH + "?limit=1&before=" + next).then().statusCode(200).body("items[0].server_id", equalTo(first));
    }
}
