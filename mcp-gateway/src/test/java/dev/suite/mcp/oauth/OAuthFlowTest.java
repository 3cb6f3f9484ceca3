package dev.suite.mcp.oauth;

import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventPublisher;
import dev.suite.mcp.NodeServers;
import dev.suite.mcp.TestDb;
import dev.suite.mcp.registry.McpServerEvents;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.BOB;
import static dev.suite.mcp.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole chain against a real OAuth server (npm oidc-provider) in front of an MCP server that
 * accepts only JWTs issued for it: 401, authorization, tool calls with the caller's own token,
 * refresh, revocation, and the state's protections.
 */
@QuarkusTest
class OAuthFlowTest {

    @TestHTTPResource("/")
    URL base;
    @Inject
    EventPublisher publisher;
    @Inject
    McpServerEvents events;

    static NodeServers.Script world;
    static String resource;
    static String issuer;

    @BeforeAll
    static void start() {
        world = NodeServers.start("oauth-world.mjs", Map.of());
        resource = world.ready().getString("resource");
        issuer = world.ready().getString("issuer");
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    static String register(String user, Map<String, Object> oauth) {
        return as(user).body(Map.of("name", "protected-" + UUID.randomUUID().toString().substring(0, 8),
                        "type", "http-stream", "url", resource, "oauth", oauth))
                .post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
    }

    /** Starts the flow as {@code user} and comes back as {@code account} at the provider; the callback's page. */
    Browser.Page authorize(String user, String serverId, String account) {
        String url = as(user).body(Map.of("server_id", serverId)).post("/mcp/oauth/start")
                .then().statusCode(200).extract().path("authorization_url");
        return new Browser().visit(url + "&login_hint=" + account, base + "mcp/oauth/callback");
    }

    static String whoami(String user, String serverId) {
        return as(user).body(Map.of()).post("/api/mcp/servers/" + serverId + "/tools/whoami/call")
                .then().statusCode(200).extract().path("content[0].text");
    }

    void tokensChangedElsewhere(String serverId) {
        publisher.publish(events.channel(), CloudEvent.of(McpServerEvents.SOURCE, "mcp.oauth.tokens_changed",
                serverId, null)).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void wholeChainFromUnauthorizedToToolCall() {
        String id = register(ALICE, Map.of());
        as(ALICE).body(Map.of()).post("/api/mcp/servers/" + id + "/tools/whoami/call").then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("/mcp/oauth/start"));

        String url = as(ALICE).body(Map.of("server_id", id)).post("/mcp/oauth/start").then().statusCode(200)
                .body("connected", equalTo(false)).extract().path("authorization_url");
        assertTrue(url.startsWith(issuer + "/auth?"), url);
        assertTrue(url.contains("code_challenge_method=S256") && url.contains("resource=") && url.contains("state="), url);

        Browser.Page page = new Browser().visit(url + "&login_hint=alice", base + "mcp/oauth/callback");
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains("Connected"), page.body());

        as(ALICE).get("/mcp/oauth/status?server_id=" + id).then().statusCode(200)
                .body("connected", equalTo(true)).body("needs_reauth", equalTo(false))
                .body("scopes", hasItem("mcp:tools")).body("issuer", equalTo(issuer));
        assertEquals("alice", whoami(ALICE, id));
        // The proxy attaches the token too.
        as(ALICE).header("Accept", "application/json, text/event-stream")
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/call", "params",
                        Map.of("name", "whoami", "arguments", Map.of())))
                .post("/mcp/servers/" + id).then().statusCode(200).body("result.content[0].text", equalTo("alice"));

        var row = TestDb.query("SELECT access_token_sealed, refresh_token_sealed FROM mcp_oauth_token WHERE server_id = ?", id)
                .get(0);
        for (Object sealed : row.values()) {
            assertTrue(((String) sealed).startsWith("v1:"), "sealed at rest");
            assertFalse(((String) sealed).contains("eyJ"), "no JWT in clear");
        }
        var client = TestDb.query("SELECT client_secret_sealed FROM mcp_oauth_client WHERE issuer = ?", issuer).get(0);
        assertTrue(((String) client.get("client_secret_sealed")).startsWith("v1:"));
    }

    @Test
    void eachUserCallsWithTheirOwnToken() {
        String alices = register(ALICE, Map.of());
        String bobs = register(BOB, Map.of());
        authorize(ALICE, alices, "alice");
        authorize(BOB, bobs, "bob");
        assertEquals("alice", whoami(ALICE, alices));
        assertEquals("bob", whoami(BOB, bobs));
        as(BOB).body(Map.of()).post("/api/mcp/servers/" + alices + "/tools/whoami/call").then().statusCode(404);
        as(BOB).get("/mcp/oauth/status?server_id=" + alices).then().statusCode(404);
    }

    @Test
    void anExpiredTokenIsRefreshedBeforeUse() {
        String id = register(ALICE, Map.of());
        authorize(ALICE, id, "alice");
        String before = (String) TestDb.query("SELECT access_token_sealed FROM mcp_oauth_token WHERE server_id = ?", id)
                .get(0).get("access_token_sealed");
        TestDb.update("UPDATE mcp_oauth_token SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE server_id = ?", id);
        tokensChangedElsewhere(id);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals("alice", whoami(ALICE, id)));
        String after = (String) TestDb.query("SELECT access_token_sealed FROM mcp_oauth_token WHERE server_id = ?", id)
                .get(0).get("access_token_sealed");
        assertNotEquals(before, after);
        as(ALICE).body(Map.of("server_id", id)).post("/mcp/oauth/refresh").then().statusCode(200)
                .body("connected", equalTo(true));
    }

    @Test
    void aRevokedGrantNeedsANewAuthorizationNotA500() throws Exception {
        String id = register(ALICE, Map.of());
        authorize(ALICE, id, "carl");
        assertEquals("carl", whoami(ALICE, id));
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(issuer + "/test/revoke?account=carl"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        TestDb.update("UPDATE mcp_oauth_token SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE server_id = ?", id);
        tokensChangedElsewhere(id);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                as(ALICE).body(Map.of()).post("/api/mcp/servers/" + id + "/tools/whoami/call").then().statusCode(401)
                        .contentType("application/problem+json"));
        as(ALICE).get("/mcp/oauth/status?server_id=" + id).then().statusCode(200)
                .body("needs_reauth", equalTo(true)).body("connected", equalTo(false));
        as(ALICE).body(Map.of("server_id", id)).post("/mcp/oauth/refresh").then().statusCode(401);
        authorize(ALICE, id, "carl");
        assertEquals("carl", whoami(ALICE, id));
    }

    @Test
    void forgedReplayedAndWrongIssuerResponsesAreRejected() {
        Browser browser = new Browser();
        assertEquals(400, browser.get(URI.create(base + "mcp/oauth/callback?code=x&state=forged")).status());

        String id = register(ALICE, Map.of());
        String url = as(ALICE).body(Map.of("server_id", id)).post("/mcp/oauth/start").then().statusCode(200)
                .extract().path("authorization_url");
        URI back = browser.returnUrl(url + "&login_hint=alice", base + "mcp/oauth/callback");
        assertTrue(back.getQuery().contains("iss="), back.toString());
        assertEquals(200, browser.get(back).status());
        Browser.Page replay = browser.get(back);
        assertEquals(400, replay.status(), "a state is good once");

        String second = as(ALICE).body(Map.of("server_id", id)).post("/mcp/oauth/start").then().statusCode(200)
                .extract().path("authorization_url");
        URI genuine = browser.returnUrl(second + "&login_hint=alice", base + "mcp/oauth/callback");
        String forgedIssuer = genuine.toString().replaceAll("iss=[^&]*", "iss=http%3A%2F%2Fevil.example");
        Browser.Page refused = browser.get(URI.create(forgedIssuer));
        assertEquals(400, refused.status());
        assertTrue(refused.body().contains("invalid_iss"), refused.body());
        assertEquals(400, browser.get(genuine).status(), "the state was spent on the refused response");
    }

    @Test
    void machineToMachineServersUseClientCredentials() {
        String id = register(ALICE, Map.of("grant_type", "client_credentials", "client_id", "machine",
                "client_secret", "machine-secret"));
        assertEquals("machine", whoami(ALICE, id));
        as(ALICE).body(Map.of("server_id", id)).post("/mcp/oauth/start").then().statusCode(200)
                .body("connected", equalTo(true));
        as(ALICE).get("/api/mcp/servers/" + id).then().statusCode(200)
                .body("oauth.client_id", equalTo("machine")).body("oauth.has_client_secret", equalTo(true))
                .body(org.hamcrest.Matchers.not(containsString("machine-secret")));
    }

    @Test
    void concurrentCallsWithAnExpiredTokenRefreshItOnce() throws Exception {
        String id = register(ALICE, Map.of());
        authorize(ALICE, id, "dana");
        TestDb.update("UPDATE mcp_oauth_token SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE server_id = ?", id);
        tokensChangedElsewhere(id);
        // The provider rotates refresh tokens and treats a reused one as theft (it revokes the grant):
        // a second refresh with the same token would turn these calls into 401s.
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var calls = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> as(ALICE).body(Map.of())
                        .post("/api/mcp/servers/" + id + "/tools/whoami/call").then().extract().statusCode()));
            }
            for (var call : calls) {
                assertEquals(200, call.get());
            }
        } finally {
            pool.shutdown();
        }
        as(ALICE).get("/mcp/oauth/status?server_id=" + id).then().body("needs_reauth", equalTo(false));
    }

    @Test
    void anAuthorizationServerWithoutS256IsRefused() {
        try (NodeServers.Script plain = NodeServers.start("oauth-world.mjs", Map.of("PKCE_METHODS", "plain"))) {
            String id = as(ALICE).body(Map.of("name", "plain-" + UUID.randomUUID().toString().substring(0, 8),
                            "type", "http-stream", "url", plain.ready().getString("resource"), "oauth", Map.of()))
                    .post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
            as(ALICE).body(Map.of("server_id", id)).post("/mcp/oauth/start").then().statusCode(502)
                    .body("detail", containsString("S256"));
        }
    }

    @Test
    void tokensNeverFollowAServerToANewAddress() {
        String id = register(ALICE, Map.of());
        authorize(ALICE, id, "alice");
        as(ALICE).body(Map.of("name", "moved-" + UUID.randomUUID().toString().substring(0, 8), "type", "http-stream",
                "url", resource.replace("/mcp", "/other"), "oauth", Map.of())).put("/api/mcp/servers/" + id)
                .then().statusCode(200);
        assertEquals(0, TestDb.count("SELECT COUNT(*) FROM mcp_oauth_token WHERE server_id = ?", id));

        String deleted = register(ALICE, Map.of());
        authorize(ALICE, deleted, "alice");
        as(ALICE).delete("/api/mcp/servers/" + deleted).then().statusCode(204);
        assertEquals(0, TestDb.count("SELECT COUNT(*) FROM mcp_oauth_token WHERE server_id = ?", deleted));
    }

    @Test
    void revokedTokensAreForgotten() {
        String id = register(ALICE, Map.of());
        authorize(ALICE, id, "alice");
        as(ALICE).delete("/mcp/oauth/tokens/" + id).then().statusCode(204);
        as(ALICE).get("/mcp/oauth/status?server_id=" + id).then().statusCode(200).body("connected", equalTo(false));
        as(ALICE).body(Map.of()).post("/api/mcp/servers/" + id + "/tools/whoami/call").then().statusCode(401);
        assertEquals(0, TestDb.count("SELECT COUNT(*) FROM mcp_oauth_token WHERE server_id = ?", id));
    }
}
