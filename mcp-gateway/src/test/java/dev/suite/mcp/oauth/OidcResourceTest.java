package dev.suite.mcp.oauth;

import dev.suite.mcp.NodeServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;

/**
 * In oidc mode the gateway's own /mcp is a protected resource that MCP clients can discover; with
 * an https public URL it also publishes its client metadata document.
 */
@QuarkusTest
@TestProfile(OidcResourceTest.Oidc.class)
class OidcResourceTest {

    /** The real authorization server of the OAuth tests stands in for the identity provider. */
    public static class Issuer implements QuarkusTestResourceLifecycleManager {
        private NodeServers.Script world;

        @Override
        public Map<String, String> start() {
            world = NodeServers.start("oauth-world.mjs", Map.of());
            return Map.of("quarkus.oidc.auth-server-url", world.ready().getString("issuer"));
        }

        @Override
        public void stop() {
            world.close();
        }
    }

    public static class Oidc implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("suite.auth.mode", "oidc", "quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.client-id", "gateway", "suite.mcp.oauth.public-url", "https://gateway.example");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Issuer.class));
        }
    }

    @Test
    void metadataNamesTheIdentityProviderAndChallengesPointAtIt() {
        given().get("/.well-known/oauth-protected-resource").then().statusCode(200)
                .body("resource", equalToResource())
                .body("authorization_servers[0]", containsString("http://127.0.0.1:"));
        given().get("/.well-known/oauth-protected-resource/mcp").then().statusCode(200)
                .body("bearer_methods_supported", hasItem("header"));
        given().contentType("application/json").body(Map.of("jsonrpc", "2.0", "id", 1, "method", "ping"))
                .post("/mcp").then().statusCode(401)
                .header("WWW-Authenticate", containsString(
                        "resource_metadata=\"https://gateway.example/.well-known/oauth-protected-resource\""));
    }

    @Test
    void theGatewayPublishesItsClientMetadataDocumentAtItsHttpsAddress() {
        given().get("/mcp/oauth/client-metadata.json").then().statusCode(200)
                .body("client_id", org.hamcrest.Matchers.equalTo("https://gateway.example/mcp/oauth/client-metadata.json"))
                .body("redirect_uris", hasItem("https://gateway.example/mcp/oauth/callback"))
                .body("token_endpoint_auth_method", org.hamcrest.Matchers.equalTo("none"));
    }

    private static org.hamcrest.Matcher<String> equalToResource() {
        return endsWith("gateway.example/mcp");
    }
}
