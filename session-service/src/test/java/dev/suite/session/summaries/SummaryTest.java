package dev.suite.session.summaries;

import dev.suite.session.Fixtures;
import dev.suite.session.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.suite.session.TestUsers.ALICE;
import static dev.suite.session.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test budget: 40 tokens, the 2 newest messages kept out of a summary (application.properties). */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class SummaryTest {

    @Test
    void aMemorySessionPastItsBudgetIsSummarisedAndTheContextStartsFromTheSummary() {
        String session = Fixtures.session(ALICE, Map.of("title", "m", "session_type", "memory", "llm_config_id", "echo-cfg"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(Fixtures.message(ALICE, session, i % 2 == 0 ? "user" : "assistant", "fact number " + i, 10));
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                as(ALICE).get("/api/sessions/" + session + "/summaries").then().extract().path("items.size()"), equalTo(1));
        as(ALICE).get("/api/sessions/" + session + "/summaries").then()
                .body("items[0].first_message_id", equalTo(ids.get(0)))
                .body("items[0].last_message_id", equalTo(ids.get(2)))
                .body("items[0].covered_messages", equalTo(3))
                .body("items[0].llm_config_id", equalTo("echo-cfg"))
                .body("items[0].content", containsString("user: fact number 0"))
                .body("items[0].content", containsString("user: fact number 2"))
                .body("items[0].content", not(containsString("fact number 3")));
        as(ALICE).get("/api/sessions/" + session + "/context").then().statusCode(200)
                .body("summary.last_message_id", equalTo(ids.get(2)))
                .body("messages.message_id", contains(ids.get(3), ids.get(4)));
        assertTrue(Upstreams.llm.authorizations.contains("Bearer alice-key"));
    }

    @Test
    void aForcedSummaryFoldsInThePreviousOneAndRefusesWhenNothingIsNew() {
        String session = Fixtures.session(ALICE, Map.of("title", "m", "session_type", "agent", "llm_config_id", "echo-cfg"));
        for (int i = 0; i < 3; i++) {
            Fixtures.message(ALICE, session, "user", "alpha " + i, 1);
        }
        as(ALICE).post("/api/sessions/" + session + "/summaries").then().statusCode(201)
                .body("covered_messages", equalTo(1));
        as(ALICE).post("/api/sessions/" + session + "/summaries").then().statusCode(409);
        Fixtures.message(ALICE, session, "user", "beta", 1);
        as(ALICE).post("/api/sessions/" + session + "/summaries").then().statusCode(201)
                .body("covered_messages", equalTo(2))
                .body("content", containsString("Previous summary:"));
        as(ALICE).get("/api/sessions/" + session + "/summaries").then().body("items.size()", equalTo(2));
        assertEquals(2, (int) as(ALICE).get("/api/sessions/" + session + "/context").then().extract()
                .path("messages.size()"));
    }

    @Test
    void aSummaryStreamedByteByByteKeepsEveryCharacter() {
        // The fake writes one byte per read: every multi-byte character straddles two buffers.
        String session = Fixtures.session(ALICE, Map.of("title", "m", "session_type", "agent", "llm_config_id",
                "bytewise-cfg"));
        Fixtures.message(ALICE, session, "user", "绿茶は最高 🍵 — ça va", 1);
        Fixtures.message(ALICE, session, "user", "second", 1);
        Fixtures.message(ALICE, session, "user", "third", 1);
        as(ALICE).post("/api/sessions/" + session + "/summaries").then().statusCode(201)
                .body("content", containsString("user: 绿茶は最高 🍵 — ça va"))
                .body("content", not(containsString("\uFFFD")));
    }

    @Test
    void summariesNeedAUsableConfigAndReportLlmFailures() {
        String none = Fixtures.session(ALICE, Map.of("title", "m", "session_type", "memory"));
        as(ALICE).post("/api/sessions/" + none + "/summaries").then().statusCode(409)
                .body("detail", containsString("llm_config_id"));
        String missing = Fixtures.session(ALICE, Map.of("title", "m", "session_type", "memory", "llm_config_id", "missing-cfg"));
        String broken = Fixtures.session(ALICE, Map.of("title", "m", "session_type", "memory", "llm_config_id", "broken-cfg"));
        for (String s : List.of(missing, broken)) {
            for (int i = 0; i < 4; i++) {
                Fixtures.message(ALICE, s, "user", "x" + i, 1);
            }
        }
        as(ALICE).post("/api/sessions/" + missing + "/summaries").then().statusCode(409)
                .body("detail", containsString("does not exist"));
        as(ALICE).post("/api/sessions/" + broken + "/summaries").then().statusCode(502)
                .body("detail", containsString("llm-service"));
        as(ALICE).get("/api/sessions/" + broken + "/summaries").then().body("items.size()", equalTo(0));
    }

    @Test
    void theContextWithoutSummaryIsTheWholeBranch() {
        String session = Fixtures.session(ALICE, Map.of("title", "m", "session_type", "memory", "llm_config_id", "echo-cfg"));
        String a = Fixtures.message(ALICE, session, "user", "a", 1);
        String b = Fixtures.message(ALICE, session, "assistant", "b", 1);
        as(ALICE).get("/api/sessions/" + session + "/context").then().body("summary", nullValue())
                .body("messages.message_id", contains(a, b));
    }
}
