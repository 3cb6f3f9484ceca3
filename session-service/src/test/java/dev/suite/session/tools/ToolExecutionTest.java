package dev.suite.session.tools;

import dev.suite.session.Fixtures;
import dev.suite.session.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.suite.session.TestUsers.ALICE;
import static dev.suite.session.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class ToolExecutionTest {

    private static Map<String, Object> call(String id, String tool, String arguments, String server) {
        Map<String, Object> call = new HashMap<>();
        call.put("id", id);
        call.put("type", "function");
        call.put("function", Map.of("name", tool, "arguments", arguments));
        if (server != null) {
            call.put("server_id", server);
        }
        return call;
    }

    private static String assistant(String session, List<Map<String, Object>> calls, Map<String, Object> mcpdetail) {
        Map<String, Object> body = new HashMap<>();
        body.put("role", "assistant");
        body.put("content", "");
        body.put("tool_calls", calls);
        if (mcpdetail != null) {
            body.put("mcpdetail", mcpdetail);
        }
        return Fixtures.post(ALICE, session, body).statusCode(201).extract().path("message_id");
    }

    @Test
    void executeRunsEachCallOnceAndAppendsTheResults() {
        String session = Fixtures.session(ALICE, "agent");
        Fixtures.message(ALICE, session, "user", "say hi", 1);
        String message = assistant(session, List.of(
                call("call_1", "echo", "{\"message\":\"hi\"}", null),
                call("call_2", "fail", "{}", null),
                call("call_3", "strict", "{}", null),
                call("call_4", "echo", "{not json", null)), Map.of("server_id", "srv-1"));
        int before = Upstreams.mcp.calls("echo");
        as(ALICE).post("/api/messages/" + message + "/execute").then().statusCode(201)
                .body("items.size()", equalTo(4))
                .body("items[0].role", equalTo("tool")).body("items[0].parent_id", equalTo(message))
                .body("items[0].content", equalTo("Echo: hi"))
                .body("items[0].ext.tool_call_id", equalTo("call_1"))
                .body("items[0].mcpdetail.server_id", equalTo("srv-1"))
                .body("items[0].mcpdetail.tool", equalTo("echo"))
                .body("items[0].mcpdetail.is_error", equalTo(false))
                .body("items[0].mcpdetail.result.content[0].text", equalTo("Echo: hi"))
                .body("items[1].mcpdetail.is_error", equalTo(true))
                .body("items[2].content", containsString("missing required argument n"))
                .body("items[2].mcpdetail.status", equalTo(400))
                .body("items[3].content", containsString("not valid JSON"));
        assertEquals("Bearer alice-key", Upstreams.mcp.lastAuthorization);
        // Asked again: the stored results, nothing run twice.
        as(ALICE).post("/api/messages/" + message + "/execute").then().statusCode(200)
                .body("items.size()", equalTo(4)).body("items[0].content", equalTo("Echo: hi"));
        assertEquals(before + 1, Upstreams.mcp.calls("echo"));
        // The results continue the branch: a new message follows the last one.
        String last = as(ALICE).get("/api/sessions/" + session + "/messages").then().extract().path("items[-1].message_id");
        as(ALICE).get("/api/messages/" + last).then().body("mcpdetail.tool_call_id", equalTo("call_4"));
    }

    @Test
    void onlyAssistantMessagesWithCallsNamingAServerCanBeExecuted() {
        String session = Fixtures.session(ALICE, "agent");
        String user = Fixtures.message(ALICE, session, "user", "hi", 1);
        as(ALICE).post("/api/messages/" + user + "/execute").then().statusCode(409);
        String noServer = assistant(session, List.of(call("c", "echo", "{}", null)), null);
        as(ALICE).post("/api/messages/" + noServer + "/execute").then().statusCode(400)
                .body("errors.field", hasItems("tool_calls[0].server_id"));
        as(ALICE).post("/api/messages/nope/execute").then().statusCode(404);
    }

    @Test
    void aFailingGatewayWritesNothingAndTheExecuteCanBeRetried() throws Exception {
        String session = Fixtures.session(ALICE, "agent");
        String dead = assistant(session, List.of(call("c", "echo", "{}", "srv-dead")), null);
        as(ALICE).post("/api/messages/" + dead + "/execute").then().statusCode(502)
                .contentType("application/problem+json");
        String message = assistant(session, List.of(call("c", "echo", "{\"message\":\"back\"}", "srv-1")), null);
        Upstreams.mcp.stop();
        try {
            double retried = retries();
            as(ALICE).post("/api/messages/" + message + "/execute").then().statusCode(503)
                    .body("detail", containsString("mcp-gateway"));
            // A refused connection reached nothing: the typed client tried twice more before giving up.
            assertEquals(retried + 2, retries());
        } finally {
            Upstreams.mcp.start();
        }
        as(ALICE).post("/api/messages/" + message + "/execute").then().statusCode(201)
                .body("items[0].content", equalTo("Echo: back"));
    }

    /** Retries Fault Tolerance made of tool calls so far, from the service's metrics (a traced sample may end in an exemplar). */
    private static double retries() {
        String metrics = as(ALICE).get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher line = Pattern.compile("(?m)^ft_retry_retries_total\\{[^}]*McpGatewayClient[^}]*callTool[^}]*} (\\S+)")
                .matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
