package dev.suite.session.messages;

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
import java.util.HashMap;
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

/** PATCH (JSON Merge Patch), round trips of what GET returned, and If-Match / ETag on message edits. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class MessagePatchTest {

    private static final String PATH = "/api/messages/";
    private static final String MERGE_PATCH = "application/merge-patch+json";

    /** A session of two messages; answers the second, a full assistant message worth 5 tokens after 3. */
    private static String[] conversation() {
        String session = Fixtures.session(ALICE, "agent");
        Fixtures.message(ALICE, session, "user", "hi", 3);
        Map<String, Object> answer = new HashMap<>();
        answer.put("role", "assistant");
        answer.put("content", "hello");
        answer.put("thinking", "be nice");
        answer.put("token_count", 5);
        answer.put("tool_calls", List.of(Map.of("id", "c1", "type", "function",
                "function", Map.of("name", "echo", "arguments", "{}"))));
        answer.put("ext", Map.of("model", "m", "temperature", 0.5));
        String id = Fixtures.post(ALICE, session, answer).statusCode(201).extract().path("message_id");
        return new String[] {session, id};
    }

    @Test
    void putOfExactlyWhatGetReturnedChangesNothingButTheTime() {
        String id = conversation()[1];
        Response read = as(ALICE).get(PATH + id);
        String body = read.asString();
        as(ALICE).body(body).put(PATH + id).then().statusCode(200)
                .body("content", equalTo("hello"))
                .body("thinking", equalTo("be nice"))
                .body("token_count", equalTo(5))
                .body("acc_token", equalTo(8))
                .body("tool_calls[0].function.name", equalTo("echo"))
                .body("ext.temperature", equalTo(0.5f))
                .body("role", equalTo("assistant"))
                .body("parent_id", equalTo(read.path("parent_id")))
                .body("created_at", equalTo(read.path("created_at")));
        as(ALICE).body(body.replaceFirst("\\{", "{\"colour\": \"red\", ")).put(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("colour"));
        // Role and parent are fixed once a message exists: an edit does not move or recast it.
        as(ALICE).body(Map.of("role", "system", "parent_id", "elsewhere", "acc_token", 99, "content", "again"))
                .put(PATH + id).then().statusCode(200)
                .body("role", equalTo("assistant")).body("parent_id", equalTo(read.path("parent_id")))
                .body("acc_token", equalTo(8)).body("content", equalTo("again"));
    }

    @Test
    void postOfWhatGetReturnedAppendsWithTheServersFieldsIgnored() {
        String[] made = conversation();
        String other = Fixtures.session(ALICE, "agent");
        String body = as(ALICE).get(PATH + made[1]).asString();
        // The same message_id in its own session is the stored message again.
        Fixtures.post(ALICE, made[0], body).statusCode(200).body("message_id", equalTo(made[1]));
        // A new client id: a sibling under the same parent; session_id, acc_token and the times are the server's.
        String copy = body.replace(made[1], "copy-1");
        Fixtures.post(ALICE, made[0], copy).statusCode(201)
                .body("message_id", equalTo("copy-1"))
                .body("session_id", equalTo(made[0]))
                .body("acc_token", equalTo(8))
                .body("ext.model", equalTo("m"));
        // A session_id naming another session does not move it there.
        Fixtures.post(ALICE, other, body.replace(made[1], "copy-2").replaceAll("\"parent_id\":\"[^\"]*\"", "\"parent_id\":null"))
                .statusCode(201).body("session_id", equalTo(other)).body("acc_token", equalTo(5));
        Fixtures.post(ALICE, made[0], body.replace(made[1], "copy-3").replaceFirst("\\{", "{\"colour\": \"red\", "))
                .statusCode(400).body("errors[0].field", equalTo("colour"));
    }

    @Test
    void patchChangesOnlyTheFieldsItNamesAndKeepsTheTotalsRight() {
        String[] made = conversation();
        String id = made[1];
        String below = Fixtures.message(ALICE, made[0], "user", "more", 2);
        as(ALICE).contentType(MERGE_PATCH).body("{\"content\": \"hello there\"}").patch(PATH + id).then()
                .statusCode(200)
                .body("content", equalTo("hello there"))
                .body("thinking", equalTo("be nice"))
                .body("token_count", equalTo(5))
                .body("tool_calls[0].id", equalTo("c1"));
        // Plain JSON too; objects merge member by member, null removes a member or clears a field.
        as(ALICE).body("{\"ext\": {\"temperature\": null, \"seed\": 7}, \"token_count\": 9, \"thinking\": null}")
                .patch(PATH + id).then()
                .statusCode(200)
                .body("ext", equalTo(Map.of("model", "m", "seed", 7)))
                .body("token_count", equalTo(9))
                .body("acc_token", equalTo(12))
                .body("thinking", nullValue())
                .body("content", equalTo("hello there"));
        as(ALICE).get(PATH + below).then().body("acc_token", equalTo(14));
        as(ALICE).body("{\"token_count\": null, \"content\": null}").patch(PATH + id).then()
                .statusCode(200).body("token_count", nullValue()).body("acc_token", equalTo(3)).body("content", equalTo(""));
        as(ALICE).get(PATH + below).then().body("acc_token", equalTo(5));
    }

    @Test
    void thePatchedMessageIsValidatedAsAPutWouldBeAndNothingIsWrittenWhenItFails() {
        String[] made = conversation();
        String id = made[1];
        String below = Fixtures.message(ALICE, made[0], "user", "more", 2);
        as(ALICE).body(Map.of("tool_calls", "not a list", "token_count", -1)).patch(PATH + id).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("tool_calls", "token_count"));
        as(ALICE).body(Map.of("tool_calls", "not a list", "token_count", -1)).put(PATH + id).then()
                .statusCode(400).body("errors.field", containsInAnyOrder("tool_calls", "token_count"));
        as(ALICE).body("{\"content\": [\"x\"]}").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("content"));
        as(ALICE).body("{\"colour\": \"red\"}").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("colour"));
        as(ALICE).body("[{\"op\": \"replace\"}]").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("body"));
        as(ALICE).body(Map.of("content", "x".repeat(70_000))).patch(PATH + id).then().statusCode(413);
        as(ALICE).get(PATH + id).then().body("content", equalTo("hello")).body("token_count", equalTo(5));
        as(ALICE).get(PATH + below).then().body("acc_token", equalTo(10));
        as(BOB).body("{\"content\": \"mine\"}").patch(PATH + id).then().statusCode(404);
        as(BOB).body(as(ALICE).get(PATH + id).asString()).put(PATH + id).then().statusCode(404);
        as(ALICE).body("{\"content\": \"x\"}").patch(PATH + "no-such-message").then().statusCode(404);
    }

    @Test
    void writesNamingAnOlderStateAre412AndTheCurrentOneGoesThrough() {
        String[] made = conversation();
        String id = made[1];
        Response read = as(ALICE).get(PATH + id);
        String tag = read.header("ETag");
        as(ALICE).header("If-None-Match", tag).get(PATH + id).then().statusCode(304);

        Response changed = as(ALICE).header("If-Match", tag).body("{\"content\": \"second\"}").patch(PATH + id);
        changed.then().statusCode(200).header("ETag", not(equalTo(tag)));
        as(ALICE).get(PATH + id).then().header("ETag", equalTo(changed.header("ETag")));

        as(ALICE).header("If-Match", tag).body("{\"content\": \"stale\"}").patch(PATH + id).then()
                .statusCode(412).body("type", equalTo("urn:suite:problem:precondition-failed"));
        as(ALICE).header("If-Match", tag).body(read.asString()).put(PATH + id).then().statusCode(412);
        as(ALICE).get(PATH + id).then().body("content", equalTo("second"));
        as(ALICE).header("If-Match", "*").body("{\"content\": \"third\"}").patch(PATH + id).then().statusCode(200);
        // An edit above it shifts its acc_token: what was read before is older.
        String beforeShift = as(ALICE).get(PATH + id).header("ETag");
        String parent = read.path("parent_id");
        as(ALICE).body("{\"token_count\": 4}").patch(PATH + parent).then().statusCode(200);
        as(ALICE).header("If-Match", beforeShift).body("{\"content\": \"late\"}").patch(PATH + id).then().statusCode(412);
    }

    @Test
    void ofWritersRacingWithTheSameETagExactlyOneWins() throws Exception {
        String id = conversation()[1];
        String tag = as(ALICE).get(PATH + id).header("ETag");
        List<Integer> statuses = Race.each(8, caller -> as(ALICE).header("If-Match", tag)
                .body("{\"content\": \"writer " + caller + "\", \"token_count\": " + caller + "}")
                .patch(PATH + id).statusCode());
        assertEquals(1, Collections.frequency(statuses, 200), statuses.toString());
        assertEquals(7, Collections.frequency(statuses, 412), statuses.toString());
        assertNotEquals(tag, as(ALICE).get(PATH + id).header("ETag"));
    }

    @Test
    void aPatchIsPublishedAsAnUpdateLikeAPut() throws Exception {
        String[] made = conversation();
        try (SocketClient socket = SocketClient.connect(RestAssured.port, "/ws/sessions", ALICE, null)) {
            socket.sendAndAwait(new JsonObject().put("session_ids", new JsonArray().add(made[0])).put("type", "subscribe"),
                    SocketClient.type("subscribed"));
            as(ALICE).contentType(MERGE_PATCH).body("{\"content\": \"live\"}").patch(PATH + made[1]).then().statusCode(200);
            JsonObject updated = socket.await(type("message.updated"));
            assertEquals(made[0], updated.getString("subject"));
            assertEquals("live", updated.getJsonObject("data").getString("content"));
        }
    }
}
