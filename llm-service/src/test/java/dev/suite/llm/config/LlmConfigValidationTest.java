package dev.suite.llm.config;

import dev.suite.llm.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.as;
import static dev.suite.llm.ConfigFixtures.PATH;
import static dev.suite.llm.ConfigFixtures.create;
import static dev.suite.llm.ConfigFixtures.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every kind of bad input is a 4xx problem naming the fields, and writes nothing. */
@QuarkusTest
class LlmConfigValidationTest {

    private static void rejects(String body, String field, String message) {
        as(ALICE).body(body).post(PATH).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:suite:problem:validation"))
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message));
    }

    @Test
    void createRejectsUnknownProvider() {
        rejects("""
                {"name": "x", "provider": "skynet"}""", "provider", "must be one of openai");
    }

    @Test
    void createRejectsBadUrls() {
        rejects("""
                {"name": "x", "provider": "openai", "api_url": "ftp://example.com"}""", "api_url", "absolute http(s)");
        rejects("""
                {"name": "x", "provider": "openai", "api_url": "/v1/relative"}""", "api_url", "absolute http(s)");
        rejects("""
                {"name": "x", "provider": "openai", "api_url": "http://user:pw@example.com"}""", "api_url",
                "must not contain credentials");
        rejects("""
                {"name": "x", "provider": "openai-compatible"}""", "api_url", "required for provider openai-compatible");
    }

    @Test
    void createRejectsWrongTypes() {
        rejects("""
                {"name": "x", "provider": "openai", "enabled": "yes"}""", "enabled", "expected boolean");
        rejects("""
                {"name": ["x"], "provider": "openai"}""", "name", "expected string");
        rejects("""
                {"name": "x", "provider": "openai", "metadata": [1, 2]}""", "metadata", "expected object");
    }

    @Test
    void createRejectsUnknownFields() {
        rejects("""
                {"name": "x", "provider": "openai", "apiKey": "sk-camel"}""", "apiKey", "unknown field");
    }

    @Test
    void createRejectsMissingAndOverLongFields() {
        as(ALICE).body("{}").post(PATH).then().statusCode(400)
                .body("errors.field", equalTo(List.of("name", "provider")));
        rejects("""
                {"name": "%s", "provider": "openai"}""".formatted("n".repeat(101)), "name", "size must be between");
        rejects("""
                {"name": "x", "provider": "openai", "model": "%s"}""".formatted("m".repeat(201)), "model", "size");
        rejects("""
                {"name": "x", "provider": "openai", "api_key": "  "}""", "api_key", "must not be blank");
    }

    @Test
    void allProblemsOfOneRequestAreReportedTogether() {
        as(ALICE).body("""
                {"name": "", "provider": "nope", "api_url": "mailto:x"}""").post(PATH).then().statusCode(400)
                .body("errors.field", equalTo(List.of("name", "provider", "api_url")));
    }

    @Test
    void createRejectsOversizedMetadata() {
        rejects("""
                {"name": "x", "provider": "openai", "metadata": {"blob": "%s"}}""".formatted("b".repeat(17_000)),
                "metadata", "at most 16384 bytes");
    }

    @Test
    void malformedJsonIs400() {
        as(ALICE).body("{\"name\": ").post(PATH).then().statusCode(400)
                .body("type", equalTo("urn:suite:problem:malformed-json"));
        as(ALICE).body("").post(PATH).then().statusCode(400);
    }

    @Test
    void bodyOver1MbIs413() {
        String huge = "{\"name\": \"" + "x".repeat(1_100_000) + "\", \"provider\": \"openai\"}";
        as(ALICE).body(huge).post(PATH).then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:suite:problem:payload-too-large"));
    }

    @Test
    void wrongMediaTypeIs415() {
        as(ALICE).contentType(ContentType.TEXT).body("name=x").post(PATH).then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void rejectedRequestsWriteNothing() {
        long before = TestDb.count("select count(*) from llm_config where owner_id = ?", ALICE);
        as(ALICE).body("""
                {"name": "half", "provider": "openai", "api_key": "sk-x", "api_url": "bad"}""").post(PATH)
                .then().statusCode(400);
        String name = uniqueName("once");
        create(ALICE, """
                {"name": "%s", "provider": "echo"}""".formatted(name));
        as(ALICE).body("""
                {"name": "%s", "provider": "echo", "api_key": "sk-second"}""".formatted(name)).post(PATH)
                .then().statusCode(409);
        assertEquals(before + 1, TestDb.count("select count(*) from llm_config where owner_id = ?", ALICE));
    }
}
