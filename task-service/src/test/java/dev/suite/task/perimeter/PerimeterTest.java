package dev.suite.task.perimeter;

import dev.suite.commons.testing.PerimeterChecks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** Only the suite's own front ends reach task-service's tasks and files. */
@QuarkusTest
class PerimeterTest {

    @Test
    void foreignHostsOriginsAndNonJsonBodiesAreRefused() throws Exception {
        PerimeterChecks.assertHeld(RestAssured.port, "/api/v1/tasks", "/api/v1/tasks", "/api/v1/tasks", "Bearer alice-key");
    }
}
