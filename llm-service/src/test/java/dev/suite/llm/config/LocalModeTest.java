package dev.suite.llm.config;

import dev.suite.llm.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The single-machine default: no credentials needed, and a master key generated on first run. */
@QuarkusTest
@TestProfile(LocalModeTest.Local.class)
class LocalModeTest {

    static final Path KEY_FILE = Path.of("target", "local-mode-home", ".suite", "master.key").toAbsolutePath();

    public static class Local implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.deleteIfExists(KEY_FILE);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of(
                    "suite.auth.mode", "local",
                    "suite.master-key", "",
                    "suite.master-key-file", KEY_FILE.toString());
        }
    }

    @Test
    void everyRequestActsAsTheLocalUserAndTheKeyIsGeneratedOnce() {
        String id = RestAssured.given().contentType(ContentType.JSON)
                .body("{\"name\": \"local one\", \"provider\": \"echo\", \"api_key\": \"sk-local-000000000\"}")
                .post("/api/llm/configs").then().statusCode(201).extract().path("config_id");
        assertEquals("local", TestDb.query("select owner_id from llm_config where config_id = ?", id)
                .get(0).get("owner_id"));
        assertTrue(Files.exists(KEY_FILE), "local mode generates its master key under the home directory");
        RestAssured.given().get("/api/llm/configs/" + id + "/key").then().statusCode(200);
    }
}
