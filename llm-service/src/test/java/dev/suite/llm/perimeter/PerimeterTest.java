package dev.suite.llm.perimeter;

import dev.suite.commons.testing.PerimeterChecks;
import dev.suite.commons.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Only the suite's own front ends reach llm-service; a page elsewhere cannot spend the user's credits. */
@QuarkusTest
class PerimeterTest {

    @Test
    void foreignHostsOriginsAndNonJsonBodiesAreRefused() throws Exception {
        PerimeterChecks.assertHeld(RestAssured.port, "/api/llm/configs", "/api/llm/configs", "/api/llm/configs",
                "Bearer alice-key");
    }

    @Test
    void aSimpleTextPlainRequestCannotCallTheChatGateway() throws Exception {
        RawHttp.Response response = RawHttp.post(RestAssured.port, "/v1/chat/completions", "127.0.0.1:" + RestAssured.port,
                "text/plain;charset=UTF-8", "{\"model\": \"echo\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "Authorization: Bearer alice-key");
        assertEquals(415, response.status(), response.body());
        assertEquals("invalid_request_error", new JsonObject(response.body()).getJsonObject("error").getString("type"),
                "OpenAI clients read OpenAI's error shape on /v1");
    }

    @Test
    void headsOverTheLimitsAreProblems() throws Exception {
        int port = RestAssured.port;
        PerimeterChecks.assertProblem(RawHttp.get(port, "/api/llm/configs/" + "x".repeat(10_000), "127.0.0.1"), 414,
                "a long request line");
        PerimeterChecks.assertProblem(RawHttp.get(port, "/api/llm/configs", "127.0.0.1", "X-Big: " + "y".repeat(30_000)),
                431, "large headers");
    }
}
