package dev.suite.workflow.perimeter;

import dev.suite.commons.testing.PerimeterChecks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** Only the suite's own front ends reach workflow-service's workflows and executions. */
@QuarkusTest
class PerimeterTest {

    @Test
    void foreignHostsOriginsAndNonJsonBodiesAreRefused() throws Exception {
        PerimeterChecks.assertHeld(RestAssured.port, "/api/workflows", "/api/workflows", "/ws/workflows", "Bearer alice-key");
    }
}
