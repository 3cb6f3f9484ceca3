package dev.suite.mcp.openapi;

import dev.suite.commons.testing.WireContract;
import dev.suite.mcp.NodeServers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gateway's OpenAPI document describes its wire: real requests and responses of every REST
 * route family, checked against the document the gateway serves at /q/openapi. Tools come from
 * the real server-everything of npm over Streamable HTTP. The JSON-RPC endpoint POST /mcp is not
 * a REST route and is left to the protocol tests.
 */
@QuarkusTest
class WireContractTest {

    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String SERVERS = "/api/mcp/servers";

    static NodeServers.Running everything;

    private WireContract contract;

    @BeforeAll
    static void startServer() {
        everything = NodeServers.everything("streamableHttp");
    }

    @AfterAll
    static void stopServer() {
        everything.close();
    }

    @BeforeEach
    void readTheDocument() {
        contract = WireContract.of(RestAssured.given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString());
    }

    private RequestSpecification alice() {
        return as(ALICE).filter(contract);
    }

    @Test
    void everyRouteFamilySpeaksAsDocumented() {
        String name = "wire-" + UUID.randomUUID().toString().substring(0, 8);
        String id = alice().body(Map.of("name", name, "type", "http-stream", "url", everything.url(),
                        "headers", Map.of("X-Wire", "secret"), "tools_deny", List.of("zip")))
                .post(SERVERS).then().statusCode(201).extract().path("server_id");
        alice().get(SERVERS + "?limit=5").then().statusCode(200);
        String read = alice().get(SERVERS + "/" + id).then().statusCode(200).extract().asString();
        alice().body(read).put(SERVERS + "/" + id).then().statusCode(200);
        alice().contentType(MERGE_PATCH).body("{\"name_prefix\": \"wire\", \"metadata\": {\"team\": \"a\"}}")
                .patch(SERVERS + "/" + id).then().statusCode(200);

        alice().get(SERVERS + "/" + id + "/health").then().statusCode(200);
        alice().get(SERVERS + "/" + id + "/tools").then().statusCode(200);
        alice().body(Map.of("message", "hello wire")).post(SERVERS + "/" + id + "/tools/echo/call")
                .then().statusCode(200);
        alice().queryParam("server_id", id).get("/mcp/health").then().statusCode(200);
        alice().get("/mcp/oauth/status").then().statusCode(200);

        alice().get("/api/mcp/feedback?limit=5").then().statusCode(200);
        alice().post("/api/mcp/feedback/socket-ticket").then().statusCode(200);

        // api-key mode: the gateway is no protected resource, and says so with a problem.
        RestAssured.given().filter(contract).get("/.well-known/oauth-protected-resource").then().statusCode(404);
        RestAssured.given().filter(contract).get("/api/health").then().statusCode(200);
        alice().get(SERVERS + "/" + UUID.randomUUID()).then().statusCode(404);
        alice().body(Map.of("name", " ", "type", "websocket")).post(SERVERS).then().statusCode(400);

        alice().delete(SERVERS + "/" + id).then().statusCode(204);

        assertEquals(List.of(), contract.findings());
        assertEquals(List.of(), contract.documentFindings());
    }
}
