package dev.suite.session.openapi;

import dev.suite.commons.testing.WireContract;
import dev.suite.session.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.session.TestUsers.ALICE;
import static dev.suite.session.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The service's OpenAPI document describes its wire: real requests and responses of every route
 * family, checked against the document the service serves at /q/openapi. Completions (summaries,
 * roundtable turns) and tool calls go to the fakes of llm-service and mcp-gateway.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class WireContractTest {

    private static final String MERGE_PATCH = "application/merge-patch+json";

    private WireContract contract;

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
        String session = alice().body(Map.of("title", "Wire", "session_type", "agent", "llm_config_id", "echo-cfg"))
                .post("/api/sessions").then().statusCode(201).extract().path("session_id");
        alice().get("/api/sessions?limit=5").then().statusCode(200);
        String read = alice().get("/api/sessions/" + session).then().statusCode(200).extract().asString();
        alice().body(read).put("/api/sessions/" + session).then().statusCode(200);
        alice().contentType(MERGE_PATCH).body("{\"name\": \"Wire agent\", \"avatar\": null}").patch("/api/sessions/" + session)
                .then().statusCode(200);

        String first = alice().body(Map.of("role", "user", "content", "wire zucchini question", "token_count", 3))
                .post("/api/sessions/" + session + "/messages").then().statusCode(201).extract().path("message_id");
        alice().body(Map.of("message_id", "wire-" + UUID.randomUUID(), "role", "assistant", "content", "an answer",
                "parent_id", first, "ext", Map.of("k", "v"))).post("/api/sessions/" + session + "/messages")
                .then().statusCode(201);
        String batch = "[{\"role\": \"user\", \"content\": \"more zucchini\", \"token_count\": 1},"
                + " {\"role\": \"assistant\", \"content\": \"sure\", \"thinking\": \"hm\", \"token_count\": 2}]";
        String last = alice().body(batch).post("/api/sessions/" + session + "/messages").then().statusCode(201)
                .extract().path("items[1].message_id");
        alice().body("[{\"message_id\": \"" + last + "\", \"role\": \"assistant\"}]")
                .post("/api/sessions/" + session + "/messages").then().statusCode(200);
        alice().get("/api/sessions/" + session + "/messages?limit=2").then().statusCode(200);
        alice().get("/api/sessions/" + session + "/messages?leaf=" + last).then().statusCode(200);
        String message = alice().get("/api/messages/" + last).then().statusCode(200).extract().asString();
        alice().body(message).put("/api/messages/" + last).then().statusCode(200);
        alice().body(message).post("/api/sessions/" + session + "/messages").then().statusCode(200);
        alice().contentType(MERGE_PATCH).body("{\"ext\": {\"rating\": 5}, \"token_count\": 4}").patch("/api/messages/" + last)
                .then().statusCode(200);
        alice().queryParam("q", "zucchini").get("/api/messages/search").then().statusCode(200);

        alice().post("/api/sessions/" + session + "/summaries").then().statusCode(201);
        alice().get("/api/sessions/" + session + "/summaries").then().statusCode(200);
        alice().get("/api/sessions/" + session + "/context").then().statusCode(200);

        String calls = "{\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [{\"id\": \"call_1\", \"type\": \"function\","
                + " \"function\": {\"name\": \"echo\", \"arguments\": \"{\\\"message\\\":\\\"hi\\\"}\"}, \"server_id\": \"srv-1\"}]}";
        String assistant = alice().body(calls).post("/api/sessions/" + session + "/messages").then().statusCode(201)
                .extract().path("message_id");
        alice().post("/api/messages/" + assistant + "/execute").then().statusCode(201);
        alice().post("/api/messages/" + assistant + "/execute").then().statusCode(200);

        String export = alice().get("/api/sessions/" + session + "/export").then().statusCode(200).extract().asString();
        String copy = alice().body(export).post("/api/sessions/import").then().statusCode(201).extract().path("session_id");

        alice().post("/api/sessions/socket-ticket").then().statusCode(200);

        String roundtable = alice().body(Map.of("title", "Panel", "topic", "tea", "max_rounds", 1, "participants",
                List.of(Map.of("name", "Ada", "llm_config_id", "echo-a", "role_prompt", "You are Ada."))))
                .post("/api/roundtables").then().statusCode(201).extract().path("roundtable_id");
        alice().get("/api/roundtables?limit=5").then().statusCode(200);
        String table = alice().get("/api/roundtables/" + roundtable).then().statusCode(200).extract().asString();
        alice().body(table).put("/api/roundtables/" + roundtable).then().statusCode(200);
        alice().contentType(MERGE_PATCH).body("{\"topic\": \"green tea\", \"stop_keyword\": null}")
                .patch("/api/roundtables/" + roundtable).then().statusCode(200);
        alice().body(Map.of("content", "Is green tea best?")).post("/api/roundtables/" + roundtable + "/messages")
                .then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                as(ALICE).get("/api/roundtables/" + roundtable).then().extract().path("status"), equalTo("idle"));
        alice().get("/api/roundtables/" + roundtable + "/messages").then().statusCode(200);
        alice().post("/api/roundtables/" + roundtable + "/stop").then().statusCode(200);

        RestAssured.given().filter(contract).get("/api/health").then().statusCode(200);
        alice().get("/api/sessions/" + UUID.randomUUID()).then().statusCode(404);
        alice().body(Map.of("title", "x", "session_type", "forever")).post("/api/sessions").then().statusCode(400);

        alice().delete("/api/messages/" + first).then().statusCode(204);
        alice().delete("/api/roundtables/" + roundtable).then().statusCode(204);
        alice().delete("/api/sessions/" + copy).then().statusCode(204);
        alice().delete("/api/sessions/" + session).then().statusCode(204);

        assertEquals(List.of(), contract.findings());
        assertEquals(List.of(), contract.documentFindings());
    }
}
