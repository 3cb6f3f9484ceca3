package dev.suite.mcp.proxy;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** What a route fuzzer sends: each answered with a 4xx problem or a JSON-RPC error, never a 500 or silence. */
@QuarkusTest
class MalformedRequestsTest {

    private static final String ACCEPT = "application/json, text/event-stream";
    private static final String ANY_ID = "01890a5d-ac96-774b-bcce-b302099a8057";

    @Test
    void jsonObjectBodiesThatAreNotObjectsAre400Problems() {
        for (String body : List.of("[1, 2]", "\"text\"", "42", "{", "{\"a\":}")) {
            as(ALICE).body(body).post("/api/mcp/servers/" + ANY_ID + "/tools/echo/call").then().statusCode(400)
                    .contentType("application/problem+json");
            as(ALICE).body(body).post("/api/mcp/feedback/" + ANY_ID + "/answer").then().statusCode(400)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void initializeWithNullParamsIsAnsweredOnEveryEndpoint() {
        Map<String, Object> initialize = new java.util.HashMap<>(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize"));
        initialize.put("params", null);
        for (String path : List.of("/mcp/servers/suite", "/mcp")) {
            as(ALICE).header("Accept", ACCEPT).body(initialize).post(path).then().statusCode(200)
                    .body("id", equalTo(1)).body("result.protocolVersion", notNullValue());
        }
    }

    @Test
    void illTypedJsonRpcFieldsAreInvalidRequests() {
        for (String body : List.of("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":[1]}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", "[]", "null")) {
            as(ALICE).header("Accept", ACCEPT).body(body).post("/mcp").then().statusCode(400)
                    .body("jsonrpc", equalTo("2.0")).body("error.code", equalTo(-32600));
        }
    }

    @Test
    void aStreamWithoutASessionIsA405Problem() {
        as(ALICE).header("Accept", "text/event-stream").get("/mcp").then().statusCode(405)
                .header("Allow", "POST").contentType("application/problem+json");
    }

    @Test
    void theOAuthCallbackAnswersPagesToBrowsersAndProblemsToApiClients() {
        as(ALICE).header("Accept", "application/json").get("/mcp/oauth/callback?state=unknown&code=x").then()
                .statusCode(400).contentType("application/problem+json");
        as(ALICE).header("Accept", "text/html,application/xhtml+xml").get("/mcp/oauth/callback?state=unknown&code=x")
                .then().statusCode(400).contentType("text/html");
    }
}
