package dev.suite.llm.config;

import dev.suite.commons.testing.Race;
import dev.suite.llm.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static dev.suite.llm.ConfigFixtures.PATH;
import static dev.suite.llm.ConfigFixtures.create;
import static dev.suite.llm.ConfigFixtures.openai;
import static dev.suite.llm.ConfigFixtures.uniqueName;
import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.BOB;
import static dev.suite.llm.TestUsers.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** PATCH (JSON Merge Patch), round trips of what GET returned, and If-Match / ETag on writes. */
@QuarkusTest
class LlmConfigPatchTest {

    private static final String MERGE_PATCH = "application/merge-patch+json";

    /** The key as stored (ciphertext): equal before and after a write exactly when the write left it alone. */
    private static String sealedKey(String id) {
        return (String) TestDb.query("select api_key_sealed from llm_config where config_id = ?", id).get(0)
                .get("api_key_sealed");
    }

    @Test
    void putOfExactlyWhatGetReturnedChangesNothingButTheTime() {
        String id = create(ALICE, openai(uniqueName("round"), "sk-round-trip-0000RTRP"));
        String sealed = sealedKey(id);
        Response read = as(ALICE).get(PATH + "/" + id);
        String body = read.asString();
        Response written = as(ALICE).body(body).put(PATH + "/" + id);
        written.then().statusCode(200)
                .body("name", equalTo(read.path("name")))
                .body("has_api_key", equalTo(true))
                .body("api_key_hint", equalTo("RTRP"))
                .body("metadata.temperature", equalTo(0.2f))
                .body("created_at", equalTo(read.path("created_at")));
        assertEquals(sealed, sealedKey(id), "the stored key is untouched");
        // A field of nobody's is still refused, by name.
        as(ALICE).body(body.replaceFirst("\\{", "{\"colour\": \"red\", ")).put(PATH + "/" + id).then()
                .statusCode(400).body("errors[0].field", equalTo("colour"));
    }

    @Test
    void patchChangesOnlyTheFieldsItNames() {
        String name = uniqueName("patch");
        String id = create(ALICE, openai(name, "sk-patch-me-0000PTCH"));
        String sealed = sealedKey(id);
        as(ALICE).contentType(MERGE_PATCH).body("{\"enabled\": false}").patch(PATH + "/" + id).then()
                .statusCode(200)
                .body("enabled", equalTo(false))
                .body("name", equalTo(name))
                .body("model", equalTo("gpt-4o-mini"))
                .body("api_key_hint", equalTo("PTCH"));
        // Plain JSON works too; objects merge member by member, null removes one.
        as(ALICE).body("{\"metadata\": {\"top_p\": 0.5}, \"model\": \"gpt-4o\"}").patch(PATH + "/" + id).then()
                .statusCode(200)
                .body("metadata.temperature", equalTo(0.2f))
                .body("metadata.top_p", equalTo(0.5f))
                .body("model", equalTo("gpt-4o"));
        as(ALICE).body("{\"metadata\": {\"temperature\": null}}").patch(PATH + "/" + id).then()
                .statusCode(200)
                .body("metadata.temperature", nullValue())
                .body("metadata.top_p", equalTo(0.5f));
        assertEquals(sealed, sealedKey(id), "the stored key is untouched");
    }

    @Test
    void patchKeepsTheKeyWhenAbsentClearsItOnNullAndReplacesItOnAValue() {
        String id = create(ALICE, openai(uniqueName("keys"), "sk-first-key-00FRST"));
        as(ALICE).body("{\"api_key\": \"sk-second-key-0SCND\"}").patch(PATH + "/" + id).then()
                .statusCode(200).body("api_key_hint", equalTo("SCND"));
        as(ALICE).body("{\"api_key\": null}").patch(PATH + "/" + id).then()
                .statusCode(200).body("has_api_key", equalTo(false)).body("api_key_hint", nullValue());
    }

    @Test
    void thePatchedConfigIsValidatedAsAPutWouldBeAndNothingIsWrittenWhenItFails() {
        String name = uniqueName("invalid");
        String id = create(ALICE, openai(name, "sk-invalid-0000INVL"));
        as(ALICE).body("{\"provider\": \"nope\", \"name\": \"\"}").patch(PATH + "/" + id).then()
                .statusCode(400)
                .body("errors.field", equalTo(List.of("name", "provider")));
        as(ALICE).body("{\"enabled\": \"no\"}").patch(PATH + "/" + id).then()
                .statusCode(400).body("errors[0].field", equalTo("enabled"));
        as(ALICE).body("{\"colour\": \"red\"}").patch(PATH + "/" + id).then()
                .statusCode(400).body("errors[0].field", equalTo("colour"));
        as(ALICE).body("[{\"op\": \"replace\"}]").patch(PATH + "/" + id).then()
                .statusCode(400).body("errors[0].field", equalTo("body"));
        as(ALICE).get(PATH + "/" + id).then().body("name", equalTo(name)).body("provider", equalTo("openai"));
        as(BOB).body("{\"enabled\": false}").patch(PATH + "/" + id).then().statusCode(404);
    }

    @Test
    void writesNamingAnOlderStateAre412AndTheCurrentOneGoesThrough() {
        String id = create(ALICE, openai(uniqueName("etag"), "sk-etag-000000ETAG"));
        Response read = as(ALICE).get(PATH + "/" + id);
        String tag = read.header("ETag");
        as(ALICE).header("If-None-Match", tag).get(PATH + "/" + id).then().statusCode(304);

        Response changed = as(ALICE).header("If-Match", tag).body("{\"model\": \"gpt-4.1\"}").patch(PATH + "/" + id);
        changed.then().statusCode(200).header("ETag", not(equalTo(tag)));
        as(ALICE).get(PATH + "/" + id).then().header("ETag", equalTo(changed.header("ETag")));

        as(ALICE).header("If-Match", tag).body("{\"model\": \"stale\"}").patch(PATH + "/" + id).then()
                .statusCode(412).body("type", equalTo("urn:suite:problem:precondition-failed"));
        as(ALICE).header("If-Match", tag).body(read.asString()).put(PATH + "/" + id).then().statusCode(412);
        as(ALICE).get(PATH + "/" + id).then().body("model", equalTo("gpt-4.1"));
        as(ALICE).header("If-Match", "*").body("{\"model\": \"gpt-5\"}").patch(PATH + "/" + id).then().statusCode(200);
    }

    @Test
    void ofWritersRacingWithTheSameETagExactlyOneWins() throws Exception {
        String id = create(ALICE, openai(uniqueName("race"), "sk-race-000000RACE"));
        String tag = as(ALICE).get(PATH + "/" + id).header("ETag");
        List<Integer> statuses = Race.run(8, () -> as(ALICE).header("If-Match", tag)
                .body("{\"model\": \"m-" + Thread.currentThread().getId() + "\"}")
                .patch(PATH + "/" + id).statusCode());
        assertEquals(1, Collections.frequency(statuses, 200), statuses.toString());
        assertEquals(7, Collections.frequency(statuses, 412), statuses.toString());
        assertNotEquals(tag, as(ALICE).get(PATH + "/" + id).header("ETag"));
    }
}
