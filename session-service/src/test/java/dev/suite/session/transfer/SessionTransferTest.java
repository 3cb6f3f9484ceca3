package dev.suite.session.transfer;

import dev.suite.session.Fixtures;
import dev.suite.session.TestDb;
import dev.suite.session.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.suite.session.TestUsers.ALICE;
import static dev.suite.session.TestUsers.BOB;
import static dev.suite.session.TestUsers.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class SessionTransferTest {

    @Test
    void anExportImportsAsAnEqualSessionWithNewIds() {
        String session = Fixtures.session(ALICE, Map.of("title", "Round trip", "session_type", "agent",
                "system_prompt", "be kind", "llm_config_id", "echo-cfg"));
        String q = Fixtures.message(ALICE, session, "user", "question", 2);
        Fixtures.message(ALICE, session, "assistant", "answer one", 3);
        Fixtures.post(ALICE, session, Map.of("role", "assistant", "content", "answer two", "token_count", 5,
                "parent_id", q, "ext", Map.of("k", "v"))).statusCode(201);
        Fixtures.message(ALICE, session, "user", "follow up", 1);
        Fixtures.message(ALICE, session, "assistant", "reply", 1);
        as(ALICE).post("/api/sessions/" + session + "/summaries").then().statusCode(201);
        String export = as(ALICE).get("/api/sessions/" + session + "/export").then().statusCode(200)
                .body("format", equalTo("suite.session.v1")).extract().asString();

        String copy = as(BOB).body(export).post("/api/sessions/import").then().statusCode(201)
                .body("session_id", not(equalTo(session))).body("title", equalTo("Round trip"))
                .body("system_prompt", equalTo("be kind")).extract().path("session_id");
        JsonPath original = JsonPath.from(export);
        JsonPath imported = JsonPath.from(as(BOB).get("/api/sessions/" + copy + "/export").then().statusCode(200)
                .extract().asString());
        assertEquals(original.getList("messages.content"), imported.getList("messages.content"));
        assertEquals(original.getList("messages.acc_token"), imported.getList("messages.acc_token"));
        assertEquals(original.getList("messages.created_at"), imported.getList("messages.created_at"));
        assertEquals(original.getList("messages.ext"), imported.getList("messages.ext"));
        // The branch structure survives: both answers hang from the question.
        List<String> ids = imported.getList("messages.message_id");
        assertEquals(ids.get(0), imported.getString("messages[1].parent_id"));
        assertEquals(ids.get(0), imported.getString("messages[2].parent_id"));
        assertEquals(1, imported.getList("summaries").size());
        assertEquals(ids.get(0), imported.getString("summaries[0].first_message_id"));
        // Importing the same document twice is fine: new ids each time.
        as(ALICE).body(export).post("/api/sessions/import").then().statusCode(201);
    }

    @Test
    void aBrokenDocumentIsRefusedWhole() {
        long before = TestDb.count("SELECT COUNT(*) FROM chat_session");
        as(ALICE).body(Map.of("format", "other")).post("/api/sessions/import").then().statusCode(400)
                .body("errors.field", hasItems("format"));
        as(ALICE).body(Map.of("format", "suite.session.v1", "session", Map.of("title", "x", "session_type", "agent"),
                "messages", List.of(Map.of("message_id", "a", "role", "user", "content", "hi"),
                        Map.of("message_id", "b", "role", "assistant", "parent_id", "zzz"))))
                .post("/api/sessions/import").then().statusCode(400).body("errors.field", hasItems("messages[1].parent_id"));
        as(ALICE).body(Map.of("format", "suite.session.v1", "session", Map.of("title", "x", "session_type", "agent"),
                "messages", List.of(Map.of("role", "nobody"))))
                .post("/api/sessions/import").then().statusCode(400).body("errors.field", hasItems("messages[0].role"));
        assertEquals(before, TestDb.count("SELECT COUNT(*) FROM chat_session"));
    }
}
