package dev.suite.llm.config;

import dev.suite.llm.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.CAROL;
import static dev.suite.llm.TestUsers.as;
import static dev.suite.llm.ConfigFixtures.PATH;
import static dev.suite.llm.ConfigFixtures.create;
import static dev.suite.llm.ConfigFixtures.openai;
import static dev.suite.llm.ConfigFixtures.uniqueName;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class KeyRevealTest {

    /** Reveals counted so far, from the service's metrics (a traced sample may end in an exemplar). */
    private static double revealsCounted() {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^llm_config_key_reveals_total(?:\\{[^}]*})? ([0-9.Ee+-]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void ownerRevealsTheKeyAndEveryRevealIsAuditedAndCounted() {
        String id = create(ALICE, openai(uniqueName("reveal"), "sk-reveal-me-123456"));
        double countedBefore = revealsCounted();

        as(ALICE).header("X-Request-Id", "reveal-req-1").get(PATH + "/" + id + "/key").then().statusCode(200)
                .body("api_key", equalTo("sk-reveal-me-123456"));

        var audit = TestDb.query("select owner_id, request_id, revealed_at from llm_key_reveal where config_id = ?", id);
        assertEquals(1, audit.size());
        assertEquals(ALICE, audit.get(0).get("owner_id"));
        assertEquals("reveal-req-1", audit.get(0).get("request_id"));
        assertEquals(countedBefore + 1, revealsCounted());
    }

    @Test
    void configWithoutKeyRevealsNull() {
        String id = create(ALICE, """
                {"name": "%s", "provider": "echo"}""".formatted(uniqueName("nokey")));
        as(ALICE).get(PATH + "/" + id + "/key").then().statusCode(200).body("api_key", nullValue());
    }

    @Test
    void revealsAreRateLimitedPerUserWithRetryAfter() {
        String id = create(CAROL, openai(uniqueName("limited"), "sk-carol-000000000"));
        // The test profile allows 5 reveals per minute.
        for (int i = 0; i < 5; i++) {
            as(CAROL).get(PATH + "/" + id + "/key").then().statusCode(200);
        }
        String retryAfter = as(CAROL).get(PATH + "/" + id + "/key").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:suite:problem:too-many-requests"))
                .extract().header("Retry-After");
        int seconds = Integer.parseInt(retryAfter);
        assertTrue(seconds >= 1 && seconds <= 60, "Retry-After within the window: " + seconds);
        assertEquals(5, TestDb.count("select count(*) from llm_key_reveal where config_id = ?", id));
        // Another user's budget is untouched.
        String aliceId = create(ALICE, openai(uniqueName("alice-own"), "sk-alice-111111111"));
        as(ALICE).get(PATH + "/" + aliceId + "/key").then().statusCode(200);
    }
}
