package dev.suite.commons.testing;

import io.vertx.core.json.JsonObject;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inbound perimeter as an attacker's page meets it, asserted against a running service (or the
 * gateway): a rebinding {@code Host}, a foreign {@code Origin}, a "simple" {@code text/plain} POST —
 * each refused with a problem, on HTTP and on WebSocket upgrades — while the suite's own origin and
 * a listed front end ({@code http://localhost:5173}, in the default list) are served.
 */
public final class PerimeterChecks {

    public static final String REBINDING_HOST = "rebind.attacker.example";
    public static final String FOREIGN_ORIGIN = "http://rebind.attacker.example";
    public static final String FRONT_END = "http://localhost:5173";

    private PerimeterChecks() {
    }

    /**
     * @param readPath      a GET route of the service
     * @param jsonPostPath  a route that takes a JSON body
     * @param socketPath    a WebSocket route, or any path when the service has none
     * @param authorization an {@code Authorization} header line value, or null in local mode
     */
    public static void assertHeld(int port, String readPath, String jsonPostPath, String socketPath, String authorization)
            throws IOException {
        String auth = authorization == null ? "X-Suite-Test: 1" : "Authorization: " + authorization;
        String own = "127.0.0.1:" + port;

        RawHttp.Response rebound = RawHttp.get(port, readPath, REBINDING_HOST + ":" + port, "Origin: http://"
                + REBINDING_HOST + ":" + port, auth);
        assertProblem(rebound, 421, "a page on a rebinding domain, same-origin as far as its browser knows");
        assertProblem(RawHttp.upgrade(port, socketPath, REBINDING_HOST + ":" + port, auth), 421,
                "a WebSocket upgrade under a rebinding name");

        assertProblem(RawHttp.get(port, readPath, own, "Origin: " + FOREIGN_ORIGIN, auth), 403,
                "a read from another origin");
        assertProblem(RawHttp.upgrade(port, socketPath, own, "Origin: " + FOREIGN_ORIGIN, auth), 403,
                "a WebSocket upgrade from another origin");
        assertProblem(RawHttp.get(port, readPath, own, "Origin: null", auth), 403, "a sandboxed or file:// page");

        assertProblem(RawHttp.post(port, jsonPostPath, own, "text/plain", "{\"name\":\"x\"}", auth), 415,
                "a simple cross-site request's body");
        assertProblem(RawHttp.post(port, jsonPostPath, own, "application/x-www-form-urlencoded", "name=x", auth), 415,
                "a form post");

        RawHttp.Response sameOrigin = RawHttp.get(port, readPath, own, "Origin: http://" + own, auth);
        assertNotEquals(403, sameOrigin.status(), "the suite's own pages: " + sameOrigin.body());
        assertNotEquals(421, sameOrigin.status(), sameOrigin.body());
        assertNull(sameOrigin.header("Access-Control-Allow-Origin"));

        RawHttp.Response listed = RawHttp.get(port, readPath, own, "Origin: " + FRONT_END, auth);
        assertNotEquals(403, listed.status(), listed.body());
        assertEquals(FRONT_END, listed.header("Access-Control-Allow-Origin"), "a listed front end may read the answer");

        RawHttp.Response preflight = RawHttp.send(port, "OPTIONS " + jsonPostPath + " HTTP/1.1\r\nHost: " + own
                + "\r\nOrigin: " + FRONT_END + "\r\nAccess-Control-Request-Method: POST"
                + "\r\nAccess-Control-Request-Headers: authorization, content-type", null);
        assertEquals(204, preflight.status(), preflight.body());
        assertEquals(FRONT_END, preflight.header("Access-Control-Allow-Origin"));
        assertTrue(preflight.header("Access-Control-Allow-Headers").contains("authorization"));

        RawHttp.Response foreignPreflight = RawHttp.send(port, "OPTIONS " + jsonPostPath + " HTTP/1.1\r\nHost: " + own
                + "\r\nOrigin: " + FOREIGN_ORIGIN + "\r\nAccess-Control-Request-Method: POST", null);
        assertProblem(foreignPreflight, 403, "a preflight from another origin");
    }

    /** A refusal with an RFC 9457 body of that status. */
    public static void assertProblem(RawHttp.Response response, int status, String what) {
        assertEquals(status, response.status(), what + ": " + response.body());
        assertTrue(response.header("Content-Type") != null
                && response.header("Content-Type").startsWith("application/problem+json"), what + ": " + response.headers());
        assertEquals(status, new JsonObject(response.body()).getInteger("status"), what);
    }
}
