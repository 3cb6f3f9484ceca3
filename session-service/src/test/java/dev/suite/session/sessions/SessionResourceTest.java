package dev.suite.session.sessions;

import dev.suite.session.Fixtures;
import dev.suite.session.TestDb;
import dev.suite.session.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.suite.session.TestUsers.ALICE;
import static dev.suite.session.TestUsers.BOB;
import static dev.suite.session.TestUsers.CAROL;
import static dev.suite.session.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class SessionResourceTest {

    @Test
    void createReturnsTheSessionWithItsFields() {
        Map<String, Object> body = new HashMap<>();
        body.put("title", "Trip");
        body.put("name", "Agent");
        body.put("llm_config_id", "cfg-1");
        body.put("session_type", "agent");
        body.put("avatar", "https://example.test/a.png");
        body.put("system_prompt", "  Be brief.  ");
        body.put("media_output_path", "/tmp/out");
        body.put("role_id", "role-7");
        String id = as(ALICE).body(body).post("/api/sessions").then().statusCode(201)
                .header("Location", containsString("/api/sessions/"))
                .body("title", equalTo("Trip")).body("session_type", equalTo("agent"))
                .body("system_prompt", equalTo("  Be brief.  ")).body("role_id", equalTo("role-7"))
                .body("expires_at", nullValue()).body("created_at", notNullValue())
                .extract().path("session_id");
        as(ALICE).get("/api/sessions/" + id).then().statusCode(200).body("llm_config_id", equalTo("cfg-1"))
                .body("media_output_path", equalTo("/tmp/out"));
    }

    @Test
    void temporarySessionsExpireAfterTheirLastChange() {
        String id = Fixtures.session(ALICE, "temporary");
        String expires = as(ALICE).get("/api/sessions/" + id).then().extract().path("expires_at");
        assertTrue(Instant.parse(expires).isAfter(Instant.now().plusSeconds(23 * 3600)));
        as(ALICE).body(Map.of("session_type", "memory")).put("/api/sessions/" + id).then().statusCode(200)
                .body("expires_at", nullValue());
    }

    @Test
    void createListsEveryInvalidField() {
        as(ALICE).body(Map.of("title", "x".repeat(501), "session_type", "forever")).post("/api/sessions").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("title", "session_type"));
        as(ALICE).body(Map.of("title", "no type")).post("/api/sessions").then().statusCode(400)
                .body("errors.field", hasItems("session_type"));
        as(ALICE).body("{not json").post("/api/sessions").then().statusCode(400);
    }

    @Test
    void updateKeepsAbsentFieldsAndClearsNullOnes() {
        String id = Fixtures.session(ALICE, Map.of("title", "Old", "name", "N", "session_type", "agent"));
        Map<String, Object> body = new HashMap<>();
        body.put("title", "New");
        body.put("name", null);
        as(ALICE).body(body).put("/api/sessions/" + id).then().statusCode(200)
                .body("title", equalTo("New")).body("name", nullValue()).body("session_type", equalTo("agent"));
        Map<String, Object> clearType = new HashMap<>();
        clearType.put("session_type", null);
        as(ALICE).body(clearType).put("/api/sessions/" + id).then().statusCode(400);
    }

    @Test
    void listIsNewestUpdatedFirstAndPagesWithoutGapsOrRepeats() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(Fixtures.session(CAROL, "agent"));
        }
        // Touching the oldest moves it to the top.
        Fixtures.message(CAROL, made.get(0), "user", "hello", 1);
        List<String> seen = new ArrayList<>();
        String before = null;
        do {
            var request = as(CAROL).queryParam("limit", 2);
            if (before != null) {
                request.queryParam("before", before);
            }
            var page = request.get("/api/sessions").then().statusCode(200).extract();
            seen.addAll(page.path("items.session_id"));
            before = page.path("next_before");
        } while (before != null);
        assertEquals(List.of(made.get(0), made.get(4), made.get(3), made.get(2), made.get(1)), seen);
        as(CAROL).queryParam("before", "nonsense").get("/api/sessions").then().statusCode(400)
                .body("errors.field", hasItems("before"));
        as(CAROL).queryParam("session_type", "x").get("/api/sessions").then().statusCode(400);
    }

    @Test
    void anotherUserGetsNotFoundEverywhere() {
        String id = Fixtures.session(ALICE, "agent");
        String message = Fixtures.message(ALICE, id, "user", "secret plans", 2);
        as(BOB).get("/api/sessions/" + id).then().statusCode(404);
        as(BOB).body(Map.of("title", "mine")).put("/api/sessions/" + id).then().statusCode(404);
        as(BOB).delete("/api/sessions/" + id).then().statusCode(404);
        as(BOB).get("/api/sessions/" + id + "/messages").then().statusCode(404);
        as(BOB).body(Map.of("role", "user", "content", "x")).post("/api/sessions/" + id + "/messages").then().statusCode(404);
        as(BOB).get("/api/messages/" + message).then().statusCode(404);
        as(BOB).body(Map.of("content", "x")).put("/api/messages/" + message).then().statusCode(404);
        as(BOB).delete("/api/messages/" + message).then().statusCode(404);
        as(BOB).post("/api/messages/" + message + "/execute").then().statusCode(404);
        as(BOB).get("/api/sessions/" + id + "/export").then().statusCode(404);
        as(BOB).get("/api/sessions/" + id + "/summaries").then().statusCode(404);
        as(BOB).post("/api/sessions/" + id + "/summaries").then().statusCode(404);
        as(BOB).get("/api/sessions/" + id + "/context").then().statusCode(404);
        as(BOB).queryParam("q", "secret").get("/api/messages/search").then().statusCode(200).body("items.size()", equalTo(0));
        as(ALICE).get("/api/sessions/" + id).then().statusCode(200);
        RestAssured.get("/api/sessions/" + id).then().statusCode(401);
    }

    @Test
    void deleteTakesTheMessagesWithIt() {
        String id = Fixtures.session(ALICE, "agent");
        Fixtures.message(ALICE, id, "user", "one", 1);
        Fixtures.message(ALICE, id, "assistant", "two", 1);
        as(ALICE).delete("/api/sessions/" + id).then().statusCode(204);
        as(ALICE).get("/api/sessions/" + id).then().statusCode(404);
        assertEquals(0, TestDb.count("SELECT COUNT(*) FROM chat_message WHERE session_id = ?", id));
    }
}
