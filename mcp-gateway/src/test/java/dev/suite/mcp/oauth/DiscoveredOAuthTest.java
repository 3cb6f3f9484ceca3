package dev.suite.mcp.oauth;

import dev.suite.mcp.NodeServers;
import dev.suite.mcp.TestDb;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.BOB;
import static dev.suite.mcp.TestUsers.ERIN;
import static dev.suite.mcp.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server registered without oauth settings whose upstream asks for OAuth (the real oidc-provider
 * world of {@link OAuthFlowTest}): its 401 marks it protected, the problem names the start route,
 * the start route discovers and registers the gateway, and after the flow calls carry the user's
 * token. The aggregate names it while it waits. Servers without an authorization server are a
 * 409 at start, saying so.
 */
@QuarkusTest
class DiscoveredOAuthTest {

    private static final String AWAITING = "dev.suite/awaitingAuthorization";

    @TestHTTPResource("/")
    URL base;

    static NodeServers.Script world;
    static String resource;
    static String metadata;
    static String issuer;
    static Vertx vertx;
    static int plainPort;

    @BeforeAll
    static void start() throws Exception {
        world = NodeServers.start("oauth-world.mjs", Map.of());
        resource = world.ready().getString("resource");
        metadata = world.ready().getString("metadata");
        issuer = world.ready().getString("issuer");
        vertx = Vertx.vertx();
        plainPort = vertx.createHttpServer().requestHandler(DiscoveredOAuthTest::plain).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterAll
    static void stop() {
        world.close();
        vertx.close();
    }

    /** {@code /open} needs no authorization; {@code /api-key} answers 401 without naming any authorization server. */
    private static void plain(HttpServerRequest request) {
        switch (request.path()) {
            case "/open" -> request.response().putHeader("Content-Type", "application/json")
                    .end("{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{}}");
            case "/api-key" -> request.response().setStatusCode(401)
                    .putHeader("WWW-Authenticate", "Bearer realm=\"api\"").end();
            default -> request.response().setStatusCode(404).end();
        }
    }

    static String register(String user, String url) {
        return as(user).body(Map.of("name", "discovered-" + UUID.randomUUID().toString().substring(0, 8),
                        "type", "http-stream", "url", url))
                .post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
    }

    static String initialize(String user) {
        return as(user).header("Accept", "application/json, text/event-stream")
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of(
                        "protocolVersion", "2025-11-25", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "agent", "version", "1"))))
                .post("/mcp").then().statusCode(200).extract().header("Mcp-Session-Id");
    }

    /** The aggregate's tools/list result. */
    static JsonObject aggregateTools(String user, String session) {
        String body = as(user).header("Mcp-Session-Id", session).header("Accept", "application/json")
                .body(Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/list", "params", Map.of()))
                .post("/mcp").then().statusCode(200).extract().asString();
        return new JsonObject(body).getJsonObject("result");
    }

    static List<String> awaiting(JsonObject listResult) {
        JsonObject meta = listResult.getJsonObject("_meta", new JsonObject());
        return meta.getJsonArray(AWAITING, new JsonArray()).stream()
                .map(entry -> ((JsonObject) entry).getString("serverId")).toList();
    }

    static String metadataOf(String serverId) {
        return (String) TestDb.query("SELECT oauth_resource_metadata FROM mcp_server WHERE server_id = ?", serverId)
                .get(0).get("oauth_resource_metadata");
    }

    @Test
    void aServerThatAsksForOAuthIsAuthorisedWithoutOAuthSettings() {
        String id = register(ERIN, resource);
        as(ERIN).body(Map.of()).post("/api/mcp/servers/" + id + "/tools/whoami/call").then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("POST /mcp/oauth/start"));
        assertEquals(metadata, metadataOf(id), "marked protected by its 401");
        as(ERIN).get("/api/mcp/servers/" + id).then().statusCode(200).body("oauth", nullValue());

        String session = initialize(ERIN);
        JsonObject before = aggregateTools(ERIN, session);
        assertTrue(awaiting(before).contains(id), before.encode());
        JsonObject entry = before.getJsonObject("_meta").getJsonArray(AWAITING).stream().map(JsonObject.class::cast)
                .filter(e -> id.equals(e.getString("serverId"))).findFirst().orElseThrow();
        assertTrue(entry.getString("message").contains("POST /mcp/oauth/start"), entry.encode());
        as(ERIN).get("/mcp/oauth/status").then().statusCode(200).body("items.server_id", hasItem(id));
        as(ERIN).get("/mcp/oauth/status?server_id=" + id).then().statusCode(200)
                .body("connected", equalTo(false)).body("awaiting_authorization", equalTo(true));

        String url = as(ERIN).body(Map.of("server_id", id)).post("/mcp/oauth/start").then().statusCode(200)
                .body("connected", equalTo(false)).extract().path("authorization_url");
        assertTrue(url.startsWith(issuer + "/auth?"), url);
        Browser.Page page = new Browser().visit(url + "&login_hint=erin", base + "mcp/oauth/callback");
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains("Connected"), page.body());

        as(ERIN).body(Map.of()).post("/api/mcp/servers/" + id + "/tools/whoami/call").then().statusCode(200)
                .body("content[0].text", equalTo("erin"));
        JsonObject after = aggregateTools(ERIN, session);
        assertFalse(awaiting(after).contains(id), after.encode());
        assertTrue(after.getJsonArray("tools").stream().anyMatch(t -> ((JsonObject) t).getString("name").endsWith("whoami")),
                after.encode());
        as(ERIN).get("/mcp/oauth/status?server_id=" + id).then().statusCode(200)
                .body("connected", equalTo(true)).body("awaiting_authorization", equalTo(false));
    }

    @Test
    void anotherUserCannotStartOrSeeIt() {
        String id = register(ERIN, resource);
        as(ERIN).get("/api/mcp/servers/" + id + "/tools").then().statusCode(401);
        as(BOB).body(Map.of("server_id", id)).post("/mcp/oauth/start").then().statusCode(404);
        as(BOB).get("/mcp/oauth/status?server_id=" + id).then().statusCode(404);
        as(BOB).get("/mcp/oauth/status").then().statusCode(200).body("items.server_id", not(hasItem(id)));
        as(BOB).delete("/mcp/oauth/tokens/" + id).then().statusCode(404);
    }

    @Test
    void theMarkStaysThroughAnEditAndGoesWithTheAddress() {
        String id = register(ERIN, resource);
        as(ERIN).get("/api/mcp/servers/" + id + "/tools").then().statusCode(401);
        assertEquals(metadata, metadataOf(id));
        Map<String, Object> server = new HashMap<>(as(ERIN).get("/api/mcp/servers/" + id).then().statusCode(200)
                .extract().jsonPath().getMap(""));
        as(ERIN).body(server).put("/api/mcp/servers/" + id).then().statusCode(200);
        assertEquals(metadata, metadataOf(id), "the GET's body sent back keeps it");
        server.put("url", resource.replace("/mcp", "/elsewhere"));
        as(ERIN).body(server).put("/api/mcp/servers/" + id).then().statusCode(200);
        assertNull(metadataOf(id), "a new address says for itself whether it asks");
    }

    @Test
    void aServerWithoutAnAuthorizationServerIsAConflictAtStart() {
        String open = register(ALICE, "http://127.0.0.1:" + plainPort + "/open");
        as(ALICE).body(Map.of("server_id", open)).post("/mcp/oauth/start").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("has no OAuth authorization server"));
        as(ALICE).get("/mcp/oauth/status?server_id=" + open).then().statusCode(200)
                .body("connected", equalTo(false)).body("awaiting_authorization", equalTo(false));
        as(ALICE).body(Map.of("server_id", open)).post("/mcp/oauth/refresh").then().statusCode(409);

        String apiKey = register(ALICE, "http://127.0.0.1:" + plainPort + "/api-key");
        as(ALICE).get("/api/mcp/servers/" + apiKey + "/tools").then().statusCode(502)
                .body("detail", containsString("names no OAuth authorization server"))
                .body("detail", not(containsString("/mcp/oauth/start")));
        as(ALICE).body(Map.of("server_id", apiKey)).post("/mcp/oauth/start").then().statusCode(409)
                .body("detail", containsString("names no OAuth authorization server"));
        assertNull(metadataOf(apiKey), "not marked: authorising would not help");
    }
}
