package dev.suite.session.sessions;

import dev.suite.commons.testing.Race;
import dev.suite.commons.testing.SocketClient;
import dev.suite.session.Fixtures;
import dev.suite.session.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.suite.commons.testing.SocketClient.type;
import static dev.suite.session.TestUsers.ALICE;
import static dev.suite.session.TestUsers.BOB;
import static dev.suite.session.TestUsers.as;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** PATCH (JSON Merge Patch), round trips of what GET returned, and If-Match / ETag on session writes. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class SessionPatchTest {

    private static final String PATH = "/api/sessions/";
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private static String fullSession() {
        return Fixtures.session(ALICE, Map.of("title", "Trip", "name", "Agent", "llm_config_id", "cfg-1",
                "session_type", "temporary", "avatar", "https://example.test/a.png", "system_prompt", "Be brief.",
                "media_output_path", "/tmp/out", "role_id", "role-7"));
    }

    @Test
    void putOfExactlyWhatGetReturnedChangesNothingButTheTimes() {
        String id = fullSession();
        Response read = as(ALICE).get(PATH + id);
        String body = read.asString();
        as(ALICE).body(body).put(PATH + id).then().statusCode(200)
                .body("session_id", equalTo(id))
                .body("title", equalTo("Trip"))
                .body("name", equalTo("Agent"))
                .body("llm_config_id", equalTo("cfg-1"))
                .body("session_type", equalTo("temporary"))
                .body("system_prompt", equalTo("Be brief."))
                .body("role_id", equalTo("role-7"))
                .body("created_at", equalTo(read.path("created_at")));
        // A field of nobody's is still refused, by name.
        as(ALICE).body(body.replaceFirst("\\{", "{\"colour\": \"red\", ")).put(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("colour"));
        // The server's own fields are ignored, even when they name something else.
        as(ALICE).body(Map.of("session_id", "01890a5d-ac96-774b-bcce-b302099a8057", "title", "Renamed"))
                .put(PATH + id).then().statusCode(200).body("session_id", equalTo(id)).body("title", equalTo("Renamed"));
    }

    @Test
    void patchChangesOnlyTheFieldsItNamesAndNullClears() {
        String id = fullSession();
        as(ALICE).contentType(MERGE_PATCH).body("{\"title\": \"Holiday\"}").patch(PATH + id).then()
                .statusCode(200)
                .body("title", equalTo("Holiday"))
                .body("name", equalTo("Agent"))
                .body("system_prompt", equalTo("Be brief."));
        // Plain JSON works too; null clears a field.
        as(ALICE).body("{\"name\": null, \"role_id\": \"role-8\", \"session_type\": \"memory\"}").patch(PATH + id).then()
                .statusCode(200)
                .body("name", nullValue())
                .body("role_id", equalTo("role-8"))
                .body("session_type", equalTo("memory"))
                .body("expires_at", nullValue())
                .body("title", equalTo("Holiday"));
        as(ALICE).get(PATH + id).then().body("name", nullValue()).body("avatar", equalTo("https://example.test/a.png"));
    }

    @Test
    void thePatchedSessionIsValidatedAsAPutWouldBeAndNothingIsWrittenWhenItFails() {
        String id = fullSession();
        as(ALICE).body(Map.of("session_type", "forever", "title", "x".repeat(501))).patch(PATH + id).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("session_type", "title"));
        as(ALICE).body("{\"session_type\": null}").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("session_type"));
        as(ALICE).body("{\"title\": [\"x\"]}").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("title"));
        as(ALICE).body("{\"colour\": \"red\"}").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("colour"));
        as(ALICE).body("[{\"op\": \"replace\"}]").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("body"));
        as(ALICE).get(PATH + id).then().body("title", equalTo("Trip")).body("session_type", equalTo("temporary"));
        as(BOB).body("{\"title\": \"mine\"}").patch(PATH + id).then().statusCode(404);
        as(BOB).body(as(ALICE).get(PATH + id).asString()).put(PATH + id).then().statusCode(404);
    }

    @Test
    void writesNamingAnOlderStateAre412AndTheCurrentOneGoesThrough() {
        String id = fullSession();
        Response read = as(ALICE).get(PATH + id);
        String tag = read.header("ETag");
        as(ALICE).header("If-None-Match", tag).get(PATH + id).then().statusCode(304);

        Response changed = as(ALICE).header("If-Match", tag).body("{\"title\": \"Second\"}").patch(PATH + id);
        changed.then().statusCode(200).header("ETag", not(equalTo(tag)));
        as(ALICE).get(PATH + id).then().header("ETag", equalTo(changed.header("ETag")));

        as(ALICE).header("If-Match", tag).body("{\"title\": \"stale\"}").patch(PATH + id).then()
                .statusCode(412).body("type", equalTo("urn:suite:problem:precondition-failed"));
        as(ALICE).header("If-Match", tag).body(read.asString()).put(PATH + id).then().statusCode(412);
        as(ALICE).get(PATH + id).then().body("title", equalTo("Second"));
        as(ALICE).header("If-Match", changed.header("ETag")).body(read.asString()).put(PATH + id).then()
                .statusCode(200).body("title", equalTo("Trip"));
        as(ALICE).header("If-Match", "*").body("{\"title\": \"Any\"}").patch(PATH + id).then().statusCode(200);
        // A message moves the session (updated_at, expiry): what was read before it is older.
        String beforeMessage = as(ALICE).get(PATH + id).header("ETag");
        Fixtures.message(ALICE, id, "user", "hello", 1);
        as(ALICE).header("If-Match", beforeMessage).body("{\"title\": \"late\"}").patch(PATH + id).then().statusCode(412);
    }

    @Test
    void ofWritersRacingWithTheSameETagExactlyOneWins() throws Exception {
        String id = fullSession();
        String tag = as(ALICE).get(PATH + id).header("ETag");
        List<Integer> statuses = Race.each(8, caller -> as(ALICE).header("If-Match", tag)
                .body("{\"title\": \"writer " + caller + "\"}").patch(PATH + id).statusCode());
        assertEquals(1, Collections.frequency(statuses, 200), statuses.toString());
        assertEquals(7, Collections.frequency(statuses, 412), statuses.toString());
        assertNotEquals(tag, as(ALICE).get(PATH + id).header("ETag"));
    }

    @Test
    void aPatchIsPublishedAsAnUpdateLikeAPut() throws Exception {
        String id = fullSession();
        try (SocketClient socket = SocketClient.connect(RestAssured.port, "/ws/sessions", ALICE, null)) {
            socket.sendAndAwait(new JsonObject().put("session_ids", new JsonArray().add(id)).put("type", "subscribe"),
                    SocketClient.type("subscribed"));
            as(ALICE).contentType(MERGE_PATCH).body("{\"title\": \"Live\"}").patch(PATH + id).then().statusCode(200);
            JsonObject updated = socket.await(type("session.updated"));
            assertEquals(id, updated.getString("subject"));
            assertEquals("Live", updated.getJsonObject("data").getString("title"));
        }
    }
}
