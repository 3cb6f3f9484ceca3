package dev.suite.llm.openapi;

import dev.suite.commons.testing.WireContract;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.suite.llm.ConfigFixtures.openai;
import static dev.suite.llm.ConfigFixtures.uniqueName;
import static dev.suite.llm.TestUsers.ERIN;
import static dev.suite.llm.TestUsers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The service's OpenAPI document describes its wire: real requests and responses of every route
 * family, checked against the document the service serves at /q/openapi.
 */
@QuarkusTest
class WireContractTest {

    private WireContract contract;

    @BeforeEach
    void readTheDocument() {
        contract = WireContract.of(RestAssured.given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString());
    }

    private RequestSpecification alice() {
        return as(ERIN).filter(contract);
    }

    @Test
    void everyRouteFamilySpeaksAsDocumented() {
        String config = alice().body(openai(uniqueName("wire"), "sk-wire-contract-0WIRE")).post("/api/llm/configs")
                .then().statusCode(201).extract().path("config_id");
        String echo = alice().body("{\"name\": \"" + uniqueName("echo") + "\", \"provider\": \"echo\", \"model\": \"echo-1\"}")
                .post("/api/llm/configs").then().statusCode(201).extract().path("config_id");
        alice().get("/api/llm/configs/" + config).then().statusCode(200);
        alice().get("/api/llm/configs?limit=5").then().statusCode(200);
        String read = alice().get("/api/llm/configs/" + config).asString();
        alice().body(read).put("/api/llm/configs/" + config).then().statusCode(200);
        alice().contentType("application/merge-patch+json").body("{\"enabled\": true}").patch("/api/llm/configs/" + config)
                .then().statusCode(200);
        alice().get("/api/llm/configs/" + config + "/key").then().statusCode(200);
        alice().get("/api/llm/configs/not-a-config").then().statusCode(404);
        alice().body("{\"name\": 7}").post("/api/llm/configs").then().statusCode(400);

        String group = alice().body("{\"name\": \"" + uniqueName("g") + "\", \"strategy\": \"weighted\", \"members\": [{\"config_id\": \""
                + echo + "\", \"weight\": 1}], \"cooldown_seconds\": 60}").post("/api/llm/groups").then().statusCode(201)
                .extract().path("group_id");
        alice().get("/api/llm/groups").then().statusCode(200);
        String groupRead = alice().get("/api/llm/groups/" + group).then().statusCode(200).extract().asString();
        alice().body(groupRead).put("/api/llm/groups/" + group).then().statusCode(200);
        alice().get("/api/llm/prices").then().statusCode(200);
        alice().get("/api/llm/limits").then().statusCode(200);
        alice().get("/api/llm/usage").then().statusCode(200);
        alice().get("/v1/models").then().statusCode(200);

        String chat = "{\"model\": \"" + echo + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hello there\"}]}";
        alice().body(chat).post("/v1/chat/completions").then().statusCode(200);
        alice().body("{\"model\": \"" + echo + "\", \"input\": \"hello\"}").post("/v1/responses").then().statusCode(200);
        alice().header("anthropic-version", "2023-06-01")
                .body("{\"model\": \"" + echo + "\", \"max_tokens\": 20, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                .post("/v1/messages").then().statusCode(200);
        RestAssured.given().filter(contract).get("/api/health").then().statusCode(200);
        alice().delete("/api/llm/groups/" + group).then().statusCode(204);
        alice().delete("/api/llm/configs/" + config).then().statusCode(204);

        assertEquals(List.of(), contract.findings());
        assertEquals(List.of(), contract.documentFindings());
    }
}
