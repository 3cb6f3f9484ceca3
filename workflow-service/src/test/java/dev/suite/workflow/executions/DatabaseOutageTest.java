package dev.suite.workflow.executions;

import dev.suite.commons.testing.PrivateMariaDb;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.CAROL;
import static dev.suite.workflow.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** MySQL away: a submission is a 503 that says so, and nothing of the database's own words (its address). */
@QuarkusTest
@WithTestResource(value = PrivateMariaDb.class, initArgs = @ResourceArg(name = "database", value = "suite_workflow_test"))
class DatabaseOutageTest {

    private static final String GRAPH = "{\"nodes\":[{\"id\":\"a\",\"type\":\"delay\",\"config\":{\"ms\":1}}],\"edges\":[]}";

    @Test
    void aSubmissionWhileMysqlIsDownIsA503WithoutTheDatabasesAddress() {
        as(ALICE).body(GRAPH).post("/api/executions").then().statusCode(202);

        PrivateMariaDb.stopServer();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> RestAssured.get("/q/health/ready").statusCode() == 503);
            // Another user: the first one's count of unfinished executions may still be cached.
            as(CAROL).body(GRAPH).post("/api/executions").then().statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:suite:problem:unavailable"))
                    .body("detail", not(containsString("127.0.0.1")))
                    .body("detail", not(containsString(Integer.toString(PrivateMariaDb.port()))))
                    .body("detail", not(containsString("refused")));
        } finally {
            PrivateMariaDb.startServer();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);
        as(ALICE).body(GRAPH).post("/api/executions").then().statusCode(202);
    }
}
