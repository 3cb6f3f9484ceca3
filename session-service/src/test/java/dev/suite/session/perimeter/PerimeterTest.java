package dev.suite.session.perimeter;

import dev.suite.commons.testing.PerimeterChecks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** Only the suite's own front ends reach session-service's sessions, messages and roundtables. */
@QuarkusTest
class PerimeterTest {

    @Test
    void foreignHostsOriginsAndNonJsonBodiesAreRefused() throws Exception {
        PerimeterChecks.assertHeld(RestAssured.port, "/api/sessions", "/api/sessions", "/ws/sessions", "Bearer alice-key");
    }
}
