package dev.suite.task.stats;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The design note's system routes and /api/health: open, in the suite's JSON, without secrets. */
@QuarkusTest
class SystemRoutesTest {

    @Test
    void healthIsOpenAndSaysUpPerComponentWithoutData() {
        for (String path : List.of("/api/health", "/api/v1/health")) {
            Response health = RestAssured.given().get(path);
            health.then().statusCode(200)
                    .body("service", equalTo("task-service"))
                    .body("status", equalTo("up"))
                    .body("version", notNullValue())
                    .body("components.status", everyItem(equalTo("up")))
                    .body("components", everyItem(not(hasKey("data"))));
            List<String> names = health.path("components.name");
            assertTrue(names.size() >= 3, names.toString()); // database, Redis, media tools at least
        }
    }

    @Test
    void metricsCountTheLastMinutesRequestsAndTheirFailures() {
        for (int i = 0; i < 5; i++) {
            as(ALICE).get("/api/v1/tasks?limit=1").then().statusCode(200);
            as(ALICE).get("/api/v1/tasks/not-a-task").then().statusCode(404);
        }
        Response metrics = RestAssured.given().get("/api/v1/metrics");
        metrics.then().statusCode(200)
                .body("service", equalTo("task-service"))
                .body("requests.window_seconds", equalTo(60))
                .body("queue.depth_by_type", hasKey("image"));
        Map<String, Object> requests = metrics.path("requests");
        assertTrue(((Number) requests.get("count")).longValue() >= 10, requests.toString());
        assertTrue(((Number) requests.get("client_error_rate")).doubleValue() > 0, requests.toString());
        Map<String, Object> latency = metrics.path("requests.latency_ms");
        assertTrue(((Number) latency.get("p99")).doubleValue() >= ((Number) latency.get("p50")).doubleValue());
        assertTrue(((Number) latency.get("sample")).intValue() >= 10);
    }

    @Test
    void theWindowForgetsWhatIsOlderThanAMinute() {
        RequestWindow window = new RequestWindow();
        window.record(200, 1_000_000, 1_000);
        window.record(500, 3_000_000, 1_030);
        ServiceMetrics.Requests now = window.snapshot(1_059);
        assertEquals(2, now.count());
        assertEquals(0.5, now.errorRate());
        assertEquals(3.0, now.latencyMs().p99());
        ServiceMetrics.Requests later = window.snapshot(1_060);
        assertEquals(1, later.count());
        assertEquals(1, later.latencyMs().sample());
        assertEquals(0, window.snapshot(2_000).count());
    }
}
