package dev.suite.mcp.perimeter;

import dev.suite.commons.testing.PerimeterChecks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/**
 * Only the suite's own front ends reach the MCP gateway: a page on a rebinding domain cannot list
 * servers, register a stdio command or open the feedback socket.
 */
@QuarkusTest
class PerimeterTest {

    @Test
    void foreignHostsOriginsAndNonJsonBodiesAreRefused() throws Exception {
        PerimeterChecks.assertHeld(RestAssured.port, "/api/mcp/servers", "/api/mcp/servers", "/ws/feedback",
                "Bearer alice-key");
    }

    @Test
    void theMcpEndpointsAreHeldToo() throws Exception {
        PerimeterChecks.assertHeld(RestAssured.port, "/mcp", "/mcp", "/ws/toolbar", "Bearer alice-key");
    }
}
