package dev.suite.llm.config;

import dev.suite.commons.testing.Race;
import dev.suite.llm.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.llm.ConfigFixtures.PATH;
import static dev.suite.llm.ConfigFixtures.create;
import static dev.suite.llm.ConfigFixtures.openai;
import static dev.suite.llm.ConfigFixtures.uniqueName;
import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.BOB;
import static dev.suite.llm.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class LlmConfigResourceTest {

    @Test
    void createAnswers201WithLocationAndNeverTheKey() {
        String name = uniqueName("work");
        Response created = as(ALICE).body(openai(name, "sk-test-1234567890WXYZ")).post(PATH);
        created.then().statusCode(201)
                .header("Location", endsWith(PATH + "/" + created.path("config_id")))
                .body("name", equalTo(name))
                .body("provider", equalTo("openai"))
                .body("has_api_key", equalTo(true))
                .body("api_key_hint", equalTo("WXYZ"))
                .body("api_url", equalTo("https://api.openai.com/v1"))
                .body("model", equalTo("gpt-4o-mini"))
                .body("enabled", equalTo(true))
                .body("metadata.temperature", equalTo(0.2f))
                .body("created_at", notNullValue())
                .body("$", not(org.hamcrest.Matchers.hasKey("api_key")));
        assertFalse(created.asString().contains("sk-test"));

        String id = created.path("config_id");
        as(ALICE).get(PATH + "/" + id).then().statusCode(200)
                .body("config_id", equalTo(id))
                .body("updated_at", equalTo(created.path("updated_at")));
        String list = as(ALICE).get(PATH + "?limit=200").then().statusCode(200).extract().asString();
        assertTrue(list.contains(id));
        assertFalse(list.contains("sk-test"));
    }

    @Test
    void concurrentCreatesOfOneNameGiveOneConfigAndConflicts() throws Exception {
        String body = openai(uniqueName("race"), "sk-race-0000000000");
        List<Integer> statuses = Race.run(6, () -> as(ALICE).body(body).post(PATH).then().extract().statusCode());
        assertEquals(1, Collections.frequency(statuses, 201), statuses.toString());
        assertEquals(5, Collections.frequency(statuses, 409), statuses.toString());
    }

    @Test
    void keyColumnHoldsCiphertextWithItsKeyVersion() {
        String id = create(ALICE, openai(uniqueName("sealed"), "sk-plain-secret-000111"));
        Map<String, Object> row = TestDb.query(
                "select api_key_sealed, api_key_key_id from llm_config where config_id = ?", id).get(0);
        String sealed = (String) row.get("api_key_sealed");
        assertFalse(sealed.contains("sk-plain"), "the key must be stored encrypted");
        assertTrue(sealed.startsWith("v1:" + row.get("api_key_key_id") + ":"));
    }

    @Test
    void listPagesNewestFirstAcrossPages() {
        String provider = "ollama";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(create(BOB, """
                    {"name": "%s", "provider": "%s"}""".formatted(uniqueName("page" + i), provider)));
        }
        List<String> seen = new ArrayList<>();
        String before = null;
        int pages = 0;
        do {
            var request = as(BOB).queryParam("limit", 2).queryParam("provider", provider);
            if (before != null) {
                request.queryParam("before", before);
            }
            Response page = request.get(PATH).then().statusCode(200).extract().response();
            seen.addAll(page.path("items.config_id"));
            before = page.path("next_before");
            pages++;
        } while (before != null);
        assertEquals(3, pages);
        Collections.reverse(ids);
        assertEquals(ids, seen);
    }

    @Test
    void listFiltersByProviderAndEnabled() {
        String on = create(ALICE, """
                {"name": "%s", "provider": "anthropic", "enabled": true}""".formatted(uniqueName("on")));
        String off = create(ALICE, """
                {"name": "%s", "provider": "anthropic", "enabled": false}""".formatted(uniqueName("off")));
        as(ALICE).get(PATH + "?provider=anthropic&enabled=false&limit=200").then().statusCode(200)
                .body("items.config_id", hasItem(off))
                .body("items.config_id", not(hasItem(on)))
                .body("items.provider", not(hasItem("openai")));
        as(ALICE).get(PATH + "?provider=nope&enabled=maybe").then().statusCode(400)
                .body("errors.field", equalTo(List.of("provider", "enabled")));
        as(ALICE).get(PATH + "?limit=0&before=xyz").then().statusCode(400)
                .body("errors.field", equalTo(List.of("limit", "before")));
    }

    @Test
    void updateReplacesFieldsAndKeepsTheKeyWhenAbsent() {
        String id = create(ALICE, openai(uniqueName("upd"), "sk-keep-me-0000KEEP"));
        String renamed = uniqueName("renamed");
        as(ALICE).body("""
                {"name": "%s", "provider": "openai-compatible", "api_url": "http://127.0.0.1:8000/v1",
                 "model": "qwen", "enabled": false}""".formatted(renamed))
                .put(PATH + "/" + id).then().statusCode(200)
                .body("name", equalTo(renamed))
                .body("provider", equalTo("openai-compatible"))
                .body("api_url", equalTo("http://127.0.0.1:8000/v1"))
                .body("enabled", equalTo(false))
                .body("metadata", nullValue())
                .body("has_api_key", equalTo(true))
                .body("api_key_hint", equalTo("KEEP"));
        as(ALICE).get(PATH + "/" + id + "/key").then().statusCode(200).body("api_key", equalTo("sk-keep-me-0000KEEP"));
    }

    @Test
    void updateWithExplicitNullKeyClearsIt() {
        String name = uniqueName("clear");
        String id = create(ALICE, openai(name, "sk-clear-me-000000"));
        as(ALICE).body("""
                {"name": "%s", "provider": "openai", "api_key": null}""".formatted(name))
                .put(PATH + "/" + id).then().statusCode(200)
                .body("has_api_key", equalTo(false))
                .body("api_key_hint", nullValue());
        assertEquals(0, TestDb.count(
                "select count(*) from llm_config where config_id = ? and api_key_sealed is not null", id));
    }

    @Test
    void updateWithNewKeyReplacesIt() {
        String name = uniqueName("replace");
        String id = create(ALICE, openai(name, "sk-old-000000000000"));
        as(ALICE).body(openai(name, "sk-new-00000000NEW1")).put(PATH + "/" + id).then().statusCode(200)
                .body("api_key_hint", equalTo("NEW1"));
        as(ALICE).get(PATH + "/" + id + "/key").then().statusCode(200).body("api_key", equalTo("sk-new-00000000NEW1"));
    }

    @Test
    void deleteAnswers204AndTheConfigIsGone() {
        String id = create(ALICE, openai(uniqueName("gone"), "sk-delete-000000000"));
        as(ALICE).delete(PATH + "/" + id).then().statusCode(204);
        as(ALICE).get(PATH + "/" + id).then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:suite:problem:not-found"));
        as(ALICE).delete(PATH + "/" + id).then().statusCode(404);
        assertEquals(0, TestDb.count("select count(*) from llm_config where config_id = ?", id));
    }

    @Test
    void nameIsUniquePerOwner() {
        String name = uniqueName("dup");
        create(ALICE, openai(name, "sk-aaaaaaaaaaaa"));
        as(ALICE).body(openai(name, "sk-bbbbbbbbbbbb")).post(PATH).then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString(name));
        assertEquals(1, TestDb.count("select count(*) from llm_config where owner_id = ? and name = ?", ALICE, name));
        // Another user may use the same name.
        create(BOB, openai(name, "sk-cccccccccccc"));
        // Renaming onto an existing name conflicts too.
        String other = create(ALICE, openai(uniqueName("other"), "sk-dddddddddddd"));
        as(ALICE).body(openai(name, "sk-eeeeeeeeeeee")).put(PATH + "/" + other).then().statusCode(409);
    }

    @Test
    void anotherUserGets404AndCannotRevealTheKey() {
        String id = create(ALICE, openai(uniqueName("private"), "sk-alice-only-00000"));
        as(BOB).get(PATH + "/" + id).then().statusCode(404);
        as(BOB).body(openai(uniqueName("steal"), "sk-x")).put(PATH + "/" + id).then().statusCode(404);
        as(BOB).delete(PATH + "/" + id).then().statusCode(404);
        as(BOB).get(PATH + "/" + id + "/key").then().statusCode(404)
                .body(not(containsString("sk-alice")));
        as(BOB).get(PATH + "?limit=200").then().statusCode(200).body("items.config_id", not(hasItem(id)));
        as(ALICE).get(PATH + "/" + id).then().statusCode(200);
    }

    @Test
    void requestsWithoutValidCredentialsAre401Problems() {
        RestAssured.given().get(PATH).then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("request_id", notNullValue());
        RestAssured.given().header("Authorization", "Bearer wrong-key").get(PATH).then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
        RestAssured.given().header("Authorization", "Basic YWxpY2U6eA==").get(PATH).then().statusCode(401);
        // Health stays open.
        RestAssured.given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        as(ALICE).header("X-Request-Id", "client-chosen-42").get(PATH + "/" + UUID.randomUUID())
                .then().statusCode(404)
                .header("X-Request-Id", "client-chosen-42")
                .body("request_id", equalTo("client-chosen-42"));
        as(ALICE).header("X-Request-Id", "bad id with spaces").get(PATH).then().statusCode(200)
                .header("X-Request-Id", not(equalTo("bad id with spaces")));
    }
}
