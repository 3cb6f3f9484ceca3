package dev.suite.task.openapi;

import dev.suite.commons.testing.WireContract;
import dev.suite.task.Images;
import dev.suite.task.Tasks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.as;
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
        return as(ALICE).filter(contract);
    }

    @Test
    void everyRouteFamilySpeaksAsDocumented() {
        String file = alice().contentType("multipart/form-data").multiPart("file", "p.png", Images.picture("png", 8, 8), "image/png")
                .post("/api/v1/files").then().statusCode(201).extract().path("items[0].file_id");
        alice().get("/api/v1/files/" + file).then().statusCode(200);
        String image = alice().body(Map.of("input_file_ids", List.of(file), "params", Map.of("operation", "resize",
                "width", 4, "height", 4))).post("/api/v1/process/image").then().statusCode(201).extract().path("task_id");
        Tasks.awaitState(ALICE, image, "COMPLETED");
        alice().get("/api/v1/tasks/" + image).then().statusCode(200);

        String held = alice().body(Map.of("type", "noop", "params", Map.of("a", 1), "run_at", Instant.now().plus(Duration.ofDays(1)).toString()))
                .post("/api/v1/tasks").then().statusCode(201).extract().path("task_id");
        alice().body(Map.of("priority", 9)).patch("/api/v1/tasks/" + held).then().statusCode(200);
        alice().get("/api/v1/tasks?limit=5").then().statusCode(200);
        alice().body(Map.of("tasks", List.of(Map.of("type", "noop"), Map.of("type", "noop", "priority", 1))))
                .post("/api/v1/tasks/batch").then().statusCode(201);
        alice().delete("/api/v1/tasks/" + held).then().statusCode(200);
        alice().body(Map.of("task_ids", List.of(held))).post("/api/v1/tasks/retry").then().statusCode(200);
        alice().get("/api/v1/tasks/" + UUID.randomUUID()).then().statusCode(404);
        alice().body(Map.of("type", 5)).post("/api/v1/tasks").then().statusCode(400);

        String schedule = alice().body(Map.of("name", "wire-" + UUID.randomUUID(), "cron", "0 3 * * *",
                "task", Map.of("type", "noop"))).post("/api/v1/schedules").then().statusCode(201).extract().path("schedule_id");
        alice().get("/api/v1/schedules").then().statusCode(200);
        String read = alice().get("/api/v1/schedules/" + schedule).then().statusCode(200).extract().asString();
        alice().body(read).put("/api/v1/schedules/" + schedule).then().statusCode(200);
        alice().delete("/api/v1/schedules/" + schedule).then().statusCode(204);

        alice().get("/api/v1/stats").then().statusCode(200);
        alice().post("/api/v1/tasks/socket-ticket").then().statusCode(200);
        RestAssured.given().filter(contract).get("/api/v1/health").then().statusCode(200);
        RestAssured.given().filter(contract).get("/api/v1/metrics").then().statusCode(200);
        RestAssured.given().filter(contract).get("/api/health").then().statusCode(200);

        assertEquals(List.of(), contract.findings());
        assertEquals(List.of(), contract.documentFindings());
    }
}
