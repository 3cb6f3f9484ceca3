package dev.suite.mcp.registry;

import dev.suite.commons.testing.Race;
import dev.suite.mcp.ModernFakeServer;
import dev.suite.mcp.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.BOB;
import static dev.suite.mcp.TestUsers.as;
import static dev.suite.mcp.registry.McpServerResourceTest.PATH;
import static dev.suite.mcp.registry.McpServerResourceTest.create;
import static dev.suite.mcp.registry.McpServerResourceTest.http;
import static dev.suite.mcp.registry.McpServerResourceTest.uniqueName;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** PATCH (JSON Merge Patch), round trips of what GET returned, and If-Match / ETag on writes. */
@QuarkusTest
class McpServerPatchTest {

    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final Map<String, String> HEADERS = Map.of("Authorization", "Bearer ghp-very-secret-token");
    private static final Map<String, String> ENV = Map.of("API_TOKEN", "s3cr3t-env", "MEMORY_FILE_PATH", "/tmp/m.json");

    @Inject
    ServerSecrets secrets;

    /** Disabled, so that no health check starts its process. */
    private static Map<String, Object> stdio(String name) {
        return Map.of("name", name, "type", "stdio", "command", "node", "args", List.of("server.mjs"),
                "enabled", false, "env", ENV);
    }

    @Test
    void putOfExactlyWhatGetReturnedKeepsTheServerAndItsHeaders() {
        String id = create(ALICE, http(uniqueName("round"), "https://mcp.example.com/mcp"));
        Response read = as(ALICE).get(PATH + "/" + id);
        String body = read.asString();
        as(ALICE).body(body).put(PATH + "/" + id).then().statusCode(200)
                .body("name", equalTo(read.path("name")))
                .body("url", equalTo("https://mcp.example.com/mcp"))
                .body("header_names", equalTo(List.of("Authorization")))
                .body("request_timeout_seconds", equalTo(60))
                .body("created_at", equalTo(read.path("created_at")));
        assertEquals(HEADERS, storedHeaders(id));
        // A field of nobody's is still refused, by name.
        as(ALICE).body(body.replaceFirst("\\{", "{\"colour\": \"red\", ")).put(PATH + "/" + id).then()
                .statusCode(400).body("errors[0].field", equalTo("colour"));
    }

    @Test
    void putOfExactlyWhatGetReturnedKeepsAStdioServersEnv() {
        String id = create(ALICE, stdio(uniqueName("round-stdio")));
        Response read = as(ALICE).get(PATH + "/" + id);
        as(ALICE).body(read.asString()).put(PATH + "/" + id).then().statusCode(200)
                .body("env_names", equalTo(List.of("API_TOKEN", "MEMORY_FILE_PATH")))
                .body("args", equalTo(List.of("server.mjs")))
                .body("created_at", equalTo(read.path("created_at")));
        assertEquals(ENV, storedEnv(id));
    }

    @Test
    void patchChangesOnlyTheFieldsItNames() {
        String name = uniqueName("patch");
        String id = as(ALICE).body(Map.of("name", name, "type", "http-stream", "url", "https://mcp.example.com/mcp",
                        "headers", HEADERS, "metadata", Map.of("team", "infra", "tier", 2)))
                .post(PATH).then().statusCode(201).extract().path("server_id");
        as(ALICE).contentType(MERGE_PATCH).body("{\"enabled\": false}").patch(PATH + "/" + id).then()
                .statusCode(200)
                .body("enabled", equalTo(false))
                .body("name", equalTo(name))
                .body("url", equalTo("https://mcp.example.com/mcp"))
                .body("header_names", equalTo(List.of("Authorization")));
        // Plain JSON works too; objects merge member by member, null removes one.
        as(ALICE).body("{\"metadata\": {\"owner\": \"ops\"}, \"tools_deny\": [\"delete_*\"]}").patch(PATH + "/" + id)
                .then().statusCode(200)
                .body("metadata", equalTo(Map.of("team", "infra", "tier", 2, "owner", "ops")))
                .body("tools_deny", equalTo(List.of("delete_*")))
                .body("enabled", equalTo(false));
        as(ALICE).body("{\"metadata\": {\"tier\": null}}").patch(PATH + "/" + id).then()
                .statusCode(200)
                .body("metadata", equalTo(Map.of("team", "infra", "owner", "ops")));
        assertEquals(HEADERS, storedHeaders(id));
    }

    @Test
    void patchKeepsHeadersWhenAbsentClearsThemOnNullAndReplacesThemOnAValue() {
        String id = create(ALICE, http(uniqueName("headers"), "https://mcp.example.com/mcp"));
        as(ALICE).body("{\"headers\": {\"X-Api-Key\": \"k-2\"}}").patch(PATH + "/" + id).then()
                .statusCode(200).body("header_names", equalTo(List.of("X-Api-Key")));
        assertEquals(Map.of("X-Api-Key", "k-2"), storedHeaders(id));
        as(ALICE).body("{\"headers\": null}").patch(PATH + "/" + id).then()
                .statusCode(200).body("header_names", nullValue());
        assertEquals(0, TestDb.count("SELECT COUNT(*) FROM mcp_server WHERE server_id = ? AND headers_sealed IS NOT NULL", id));
    }

    @Test
    void patchKeepsEnvWhenAbsentClearsItOnNullAndReplacesItOnAValue() {
        String id = create(ALICE, stdio(uniqueName("env")));
        as(ALICE).body("{\"args\": [\"other.mjs\"]}").patch(PATH + "/" + id).then()
                .statusCode(200).body("env_names", equalTo(List.of("API_TOKEN", "MEMORY_FILE_PATH")));
        assertEquals(ENV, storedEnv(id));
        as(ALICE).body("{\"env\": {\"B\": \"2\"}}").patch(PATH + "/" + id).then()
                .statusCode(200).body("env_names", equalTo(List.of("B")));
        assertEquals(Map.of("B", "2"), storedEnv(id));
        as(ALICE).body("{\"env\": null}").patch(PATH + "/" + id).then()
                .statusCode(200).body("env_names", nullValue());
        assertEquals(0, TestDb.count("SELECT COUNT(*) FROM mcp_server WHERE server_id = ? AND env_sealed IS NOT NULL", id));
    }

    @Test
    void thePatchedServerIsValidatedAsAPutWouldBeAndNothingIsWrittenWhenItFails() {
        String name = uniqueName("invalid");
        String id = create(ALICE, http(name, "https://mcp.example.com/mcp"));
        String before = as(ALICE).get(PATH + "/" + id).header("ETag");
        as(ALICE).body("{\"type\": \"websocket\", \"name\": \"\"}").patch(PATH + "/" + id).then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("name", "type"));
        // Rules across fields see the merged server: the stored url does not fit a stdio server.
        as(ALICE).body("{\"type\": \"stdio\"}").patch(PATH + "/" + id).then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("command", "url"));
        as(ALICE).body("{\"headers\": {\"Mcp-Session-Id\": \"forged\"}}").patch(PATH + "/" + id).then()
                .statusCode(400).body("errors[0].field", equalTo("headers"));
        as(ALICE).body("{\"enabled\": \"no\"}").patch(PATH + "/" + id).then()
                .statusCode(400).body("errors[0].field", equalTo("enabled"));
        as(ALICE).body("{\"colour\": \"red\"}").patch(PATH + "/" + id).then()
                .statusCode(400).body("errors[0].field", equalTo("colour"));
        as(ALICE).body("[{\"op\": \"replace\"}]").patch(PATH + "/" + id).then()
                .statusCode(400).body("errors[0].field", equalTo("body"));
        as(ALICE).get(PATH + "/" + id).then()
                .header("ETag", equalTo(before))
                .body("name", equalTo(name))
                .body("type", equalTo("http-stream"));
        assertEquals(HEADERS, storedHeaders(id));
        as(BOB).body("{\"enabled\": false}").patch(PATH + "/" + id).then().statusCode(404);
    }

    @Test
    void writesNamingAnOlderStateAre412AndTheCurrentOneGoesThrough() {
        Response created = as(ALICE).body(http(uniqueName("etag"), "https://mcp.example.com/mcp")).post(PATH);
        String id = created.path("server_id");
        Response read = as(ALICE).get(PATH + "/" + id);
        String tag = read.header("ETag");
        assertEquals(created.header("ETag"), tag);
        as(ALICE).header("If-None-Match", tag).get(PATH + "/" + id).then().statusCode(304);

        Response changed = as(ALICE).header("If-Match", tag).body("{\"url\": \"https://mcp.example.com/v2\"}")
                .patch(PATH + "/" + id);
        changed.then().statusCode(200).header("ETag", not(equalTo(tag)));
        as(ALICE).get(PATH + "/" + id).then().header("ETag", equalTo(changed.header("ETag")));

        as(ALICE).header("If-Match", tag).body("{\"url\": \"https://stale.example.com/mcp\"}").patch(PATH + "/" + id)
                .then().statusCode(412).body("type", equalTo("urn:suite:problem:precondition-failed"));
        as(ALICE).header("If-Match", tag).body(read.asString()).put(PATH + "/" + id).then().statusCode(412);
        as(ALICE).get(PATH + "/" + id).then().body("url", equalTo("https://mcp.example.com/v2"));
        as(ALICE).header("If-Match", "*").body("{\"url\": \"https://mcp.example.com/v3\"}").patch(PATH + "/" + id)
                .then().statusCode(200);
    }

    @Test
    void ofWritersRacingWithTheSameETagExactlyOneWins() throws Exception {
        String id = create(ALICE, http(uniqueName("race"), "https://mcp.example.com/mcp"));
        String tag = as(ALICE).get(PATH + "/" + id).header("ETag");
        List<Integer> statuses = Race.each(8, caller -> as(ALICE).header("If-Match", tag)
                .body("{\"name_prefix\": \"p" + caller + "\"}")
                .patch(PATH + "/" + id).statusCode());
        assertEquals(1, Collections.frequency(statuses, 200), statuses.toString());
        assertEquals(7, Collections.frequency(statuses, 412), statuses.toString());
        assertNotEquals(tag, as(ALICE).get(PATH + "/" + id).header("ETag"));
    }

    @Test
    void theProxySeesAPatchAtOnce() {
        try (ModernFakeServer upstream = new ModernFakeServer()) {
            String id = create(ALICE, Map.of("name", uniqueName("proxied"), "type", "http-stream", "url", upstream.url()));
            as(ALICE).get(PATH + "/" + id + "/tools").then().statusCode(200).body("tools.name", hasItem("slow"));
            as(ALICE).body("{\"enabled\": false}").patch(PATH + "/" + id).then().statusCode(200);
            as(ALICE).get(PATH + "/" + id + "/tools").then().statusCode(409);
            as(ALICE).body("{\"enabled\": true, \"tools_deny\": [\"slow\"]}").patch(PATH + "/" + id).then().statusCode(200);
            as(ALICE).get(PATH + "/" + id + "/tools").then().statusCode(200).body("tools.name", not(hasItem("slow")));
        }
    }

    private Map<String, String> storedHeaders(String id) {
        McpServer row = new McpServer();
        row.id = id;
        row.headersSealed = (String) TestDb.query("SELECT headers_sealed FROM mcp_server WHERE server_id = ?", id)
                .get(0).get("headers_sealed");
        return secrets.headers(row);
    }

    private Map<String, String> storedEnv(String id) {
        McpServer row = new McpServer();
        row.id = id;
        row.envSealed = (String) TestDb.query("SELECT env_sealed FROM mcp_server WHERE server_id = ?", id)
                .get(0).get("env_sealed");
        return secrets.env(row);
    }
}
