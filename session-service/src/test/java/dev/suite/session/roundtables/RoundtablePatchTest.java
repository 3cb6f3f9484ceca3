package dev.suite.session.roundtables;

import dev.suite.commons.testing.Race;
import dev.suite.session.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.suite.session.TestUsers.ALICE;
import static dev.suite.session.TestUsers.BOB;
import static dev.suite.session.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** PUT, PATCH (JSON Merge Patch), round trips of what GET returned, and If-Match / ETag on roundtables. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class RoundtablePatchTest {

    private static final String PATH = "/api/roundtables/";
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private static Map<String, Object> participant(String name, String config) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", name);
        p.put("llm_config_id", config);
        p.put("role_prompt", "You are " + name + ".");
        return p;
    }

    private static String panel() {
        return as(ALICE).body(Map.of("title", "Panel", "topic", "tea", "max_rounds", 2, "stop_keyword", "AGREED",
                        "token_budget", 500, "participants", List.of(participant("Ada", "echo-a"), participant("Bo", "echo-b"))))
                .post("/api/roundtables").then().statusCode(201).extract().path("roundtable_id");
    }

    @Test
    void putOfExactlyWhatGetReturnedKeepsEveryFieldAndParticipantId() {
        String id = panel();
        Response read = as(ALICE).get(PATH + id);
        String body = read.asString();
        as(ALICE).body(body).put(PATH + id).then().statusCode(200)
                .body("roundtable_id", equalTo(id))
                .body("title", equalTo("Panel"))
                .body("topic", equalTo("tea"))
                .body("max_rounds", equalTo(2))
                .body("stop_keyword", equalTo("AGREED"))
                .body("token_budget", equalTo(500))
                .body("participants.participant_id", equalTo(read.path("participants.participant_id")))
                .body("participants.name", contains("Ada", "Bo"))
                .body("status", equalTo("idle"))
                .body("created_at", equalTo(read.path("created_at")));
        as(ALICE).body(body.replaceFirst("\\{", "{\"colour\": \"red\", ")).put(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("colour"));
        as(ALICE).body(body.replace("\"name\":\"Bo\"", "\"name\":\"Bo\",\"colour\":\"red\"")).put(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("participants[1].colour"));
    }

    @Test
    void putReplacesEverythingAClientSetsAndAbsentFieldsTakeTheirDefaults() {
        String id = panel();
        List<String> ids = as(ALICE).get(PATH + id).path("participants.participant_id");
        as(ALICE).body(Map.of("title", "Smaller", "participants", List.of(participant("bo", "echo-c"), participant("Cy", "echo-a"))))
                .put(PATH + id).then().statusCode(200)
                .body("title", equalTo("Smaller"))
                .body("topic", nullValue())
                .body("turn_order", equalTo("round_robin"))
                .body("max_rounds", equalTo(3))
                .body("max_messages", equalTo(20))
                .body("stop_keyword", nullValue())
                .body("token_budget", nullValue())
                .body("participants.name", contains("bo", "Cy"))
                .body("participants.llm_config_id", contains("echo-c", "echo-a"))
                // Bo keeps its id across a change of case; Ada is gone, Cy is new.
                .body("participants[0].participant_id", equalTo(ids.get(1)))
                .body("participants[1].participant_id", not(equalTo(ids.get(0))));
        as(ALICE).get(PATH + id).then().body("participants.name", contains("bo", "Cy"));
    }

    @Test
    void patchChangesOnlyTheFieldsItNames() {
        String id = panel();
        List<String> ids = as(ALICE).get(PATH + id).path("participants.participant_id");
        as(ALICE).contentType(MERGE_PATCH).body("{\"title\": \"Tea panel\"}").patch(PATH + id).then()
                .statusCode(200)
                .body("title", equalTo("Tea panel"))
                .body("topic", equalTo("tea"))
                .body("max_rounds", equalTo(2))
                .body("participants.participant_id", equalTo(ids));
        // Plain JSON too; null removes a field (back to its default), an array is replaced whole.
        as(ALICE).body("{\"max_rounds\": null, \"token_budget\": null, \"max_messages\": 8, "
                        + "\"participants\": [{\"name\": \"Ada\", \"llm_config_id\": \"echo-z\"}]}")
                .patch(PATH + id).then()
                .statusCode(200)
                .body("max_rounds", equalTo(3))
                .body("token_budget", nullValue())
                .body("max_messages", equalTo(8))
                .body("stop_keyword", equalTo("AGREED"))
                .body("participants.name", contains("Ada"))
                .body("participants[0].llm_config_id", equalTo("echo-z"))
                .body("participants[0].role_prompt", nullValue())
                .body("participants[0].participant_id", equalTo(ids.get(0)));
    }

    @Test
    void thePatchedRoundtableIsValidatedAsAPutWouldBeAndNothingIsWrittenWhenItFails() {
        String id = panel();
        String before = as(ALICE).get(PATH + id).asString();
        as(ALICE).body(Map.of("max_rounds", 0, "turn_order", "chaos", "title", "")).patch(PATH + id).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("max_rounds", "turn_order", "title"));
        as(ALICE).body(Map.of("title", "", "turn_order", "chaos", "max_rounds", 0, "participants", List.of()))
                .put(PATH + id).then().statusCode(400)
                .body("errors.field", hasItems("title", "turn_order", "max_rounds", "participants"));
        as(ALICE).body("{\"participants\": []}").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("participants"));
        as(ALICE).body(Map.of("participants", List.of(participant("A", "x"), participant("a", "y")))).patch(PATH + id)
                .then().statusCode(400).body("errors[0].field", equalTo("participants[1].name"));
        as(ALICE).body("{\"max_rounds\": \"many\"}").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("max_rounds"));
        as(ALICE).body("{\"colour\": \"red\"}").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("colour"));
        as(ALICE).body("[{\"op\": \"replace\"}]").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("body"));
        assertEquals(before, as(ALICE).get(PATH + id).asString());
        as(BOB).body("{\"title\": \"mine\"}").patch(PATH + id).then().statusCode(404);
        as(BOB).body(before).put(PATH + id).then().statusCode(404);
        as(ALICE).body(before).put(PATH + "not-an-id").then().statusCode(404);
    }

    @Test
    void writesNamingAnOlderStateAre412AndTheCurrentOneGoesThrough() {
        String id = panel();
        Response read = as(ALICE).get(PATH + id);
        String tag = read.header("ETag");
        as(ALICE).header("If-None-Match", tag).get(PATH + id).then().statusCode(304);

        Response changed = as(ALICE).header("If-Match", tag).body("{\"topic\": \"coffee\"}").patch(PATH + id);
        changed.then().statusCode(200).header("ETag", not(equalTo(tag)));
        as(ALICE).get(PATH + id).then().header("ETag", equalTo(changed.header("ETag")));

        as(ALICE).header("If-Match", tag).body("{\"topic\": \"stale\"}").patch(PATH + id).then()
                .statusCode(412).body("type", equalTo("urn:suite:problem:precondition-failed"));
        as(ALICE).header("If-Match", tag).body(read.asString()).put(PATH + id).then().statusCode(412);
        as(ALICE).get(PATH + id).then().body("topic", equalTo("coffee"));
        as(ALICE).header("If-Match", "*").body("{\"topic\": \"cocoa\"}").patch(PATH + id).then().statusCode(200);
    }

    @Test
    void ofWritersRacingWithTheSameETagExactlyOneWins() throws Exception {
        String id = panel();
        String tag = as(ALICE).get(PATH + id).header("ETag");
        List<Integer> statuses = Race.each(8, caller -> as(ALICE).header("If-Match", tag)
                .body(Map.of("topic", "topic " + caller, "participants", List.of(participant("P" + caller, "echo-a"))))
                .patch(PATH + id).statusCode());
        assertEquals(1, Collections.frequency(statuses, 200), statuses.toString());
        assertEquals(7, Collections.frequency(statuses, 412), statuses.toString());
        assertNotEquals(tag, as(ALICE).get(PATH + id).header("ETag"));
        as(ALICE).get(PATH + id).then().body("participants.size()", equalTo(1));
    }

    @Test
    void whileADiscussionRunsOnlyTheTitleChanges() {
        String id = as(ALICE).body(Map.of("title", "Slow", "max_rounds", 5,
                        "participants", List.of(participant("Slow", "slow-a"), participant("Slower", "slow-b"))))
                .post("/api/roundtables").then().statusCode(201).extract().path("roundtable_id");
        as(ALICE).body(Map.of("content", "word ".repeat(300))).post(PATH + id + "/messages").then().statusCode(202);
        Response running = as(ALICE).get(PATH + id);
        running.then().body("status", equalTo("running"));
        as(ALICE).body("{\"title\": \"Slow, renamed\"}").patch(PATH + id).then().statusCode(200)
                .body("title", equalTo("Slow, renamed")).body("status", equalTo("running"));
        as(ALICE).body("{\"max_rounds\": 1}").patch(PATH + id).then().statusCode(409)
                .contentType("application/problem+json");
        as(ALICE).body(Map.of("participants", List.of(participant("Slow", "slow-a")))).patch(PATH + id).then()
                .statusCode(409);
        // What GET returned, sent back, changes nothing the discussion uses.
        as(ALICE).body(as(ALICE).get(PATH + id).asString()).put(PATH + id).then().statusCode(200);
        as(ALICE).post(PATH + id + "/stop").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                as(ALICE).get(PATH + id).then().extract().path("status"), equalTo("idle"));
        as(ALICE).body("{\"max_rounds\": 1}").patch(PATH + id).then().statusCode(200)
                .body("max_rounds", equalTo(1)).body("stop_reason", equalTo("stopped"));
    }
}
