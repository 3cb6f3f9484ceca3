package dev.suite.llm.chat;

import dev.suite.llm.TestDb;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.BOB;
import static dev.suite.llm.chat.ChatFixtures.chat;
import static dev.suite.llm.chat.ChatFixtures.config;
import static dev.suite.llm.chat.ChatFixtures.events;
import static dev.suite.llm.chat.ChatFixtures.openai;
import static dev.suite.llm.chat.ChatFixtures.userMessage;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway over an OpenAI-format provider: routing, streaming, errors, retries, fallbacks, cancellation. */
@QuarkusTest
@WithTestResource(FakeProviders.class)
class OpenAiGatewayTest {

    private static String model(String behaviour) {
        return behaviour + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void nonStreamingCallIsAnsweredInOpenAiFormatAndAccounted() {
        String upstreamModel = model("gpt-ok");
        ChatFixtures.Config c = openai(ALICE, upstreamModel);
        Response response = chat(ALICE, userMessage(c.name(), "Hi", "\"temperature\": 0.3"));
        response.then().statusCode(200)
                .header("X-Suite-Overhead-Ms", notNullValue())
                .header("X-Suite-Config-Id", c.id())
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.content", equalTo("Hello from OpenAI"))
                .body("usage.total_tokens", equalTo(11));
        assertTrue(Double.parseDouble(response.header("X-Suite-Overhead-Ms")) >= 0);
        JsonObject sent = FakeProviders.requests(upstreamModel).get(0);
        assertEquals(upstreamModel, sent.getString("model"));
        assertEquals(0.3, sent.getDouble("temperature"));

        await().atMost(Duration.ofSeconds(10)).until(() -> TestDb.count(
                "select count(*) from llm_usage where config_id = ? and status = 200 and prompt_tokens = 7", c.id()) == 1);
    }

    @Test
    void aRequestWithoutAModelIsA400InOpenAisShape() {
        chat(ALICE, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("'model' is required"));
    }

    @Test
    void modelResolvesByIdByNameSlashModelAndByHeader() {
        String upstreamModel = model("gpt-ok");
        ChatFixtures.Config c = openai(ALICE, upstreamModel);
        chat(ALICE, userMessage(c.id(), "Hi", null)).then().statusCode(200);
        String override = model("gpt-ok");
        chat(ALICE, userMessage(c.name() + "/" + override, "Hi", null)).then().statusCode(200);
        assertEquals(override, FakeProviders.requests(override).get(0).getString("model"));
        dev.suite.llm.TestUsers.as(ALICE).header("X-Suite-Config-Id", c.id())
                .body(userMessage("anything-else", "Hi", null)).post("/v1/chat/completions").then().statusCode(200);
        assertEquals(1, FakeProviders.calls("anything-else"));
    }

    @Test
    void streamForwardsChunksUsageAndDone() {
        ChatFixtures.Config c = openai(ALICE, model("gpt-ok"));
        String body = chat(ALICE, userMessage(c.name(), "Hi",
                "\"stream\": true, \"stream_options\": {\"include_usage\": true}"))
                .then().statusCode(200).contentType(containsString("text/event-stream")).extract().asString();
        List<String> events = events(body);
        assertEquals("[DONE]", events.get(events.size() - 1));
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(0, events.size() - 1)) {
            JsonPath chunk = new JsonPath(e);
            if (!chunk.getList("choices").isEmpty() && chunk.getString("choices[0].delta.content") != null) {
                text.append(chunk.getString("choices[0].delta.content"));
            }
        }
        assertEquals("Hello from OpenAI", text.toString());
        assertEquals(11, new JsonPath(events.get(events.size() - 2)).getInt("usage.total_tokens"));
    }

    @Test
    void usageChunkIsDroppedWhenTheClientDidNotAskForIt() {
        String upstreamModel = model("gpt-ok");
        ChatFixtures.Config c = openai(ALICE, upstreamModel);
        String body = chat(ALICE, userMessage(c.name(), "Hi", "\"stream\": true")).then().statusCode(200)
                .extract().asString();
        assertFalse(body.contains("\"usage\""), body);
        // The gateway still asked for usage, to account the call.
        assertTrue(FakeProviders.requests(upstreamModel).get(0).getJsonObject("stream_options").getBoolean("include_usage"));
        await().atMost(Duration.ofSeconds(10)).until(() -> TestDb.count(
                "select count(*) from llm_usage where config_id = ? and completion_tokens = 4", c.id()) == 1);
    }

    @Test
    void streamedToolCallFragmentsKeepIdAndNameOnTheFirst() {
        ChatFixtures.Config c = openai(ALICE, model("gpt-tools"));
        List<String> events = events(chat(ALICE, userMessage(c.name(), "Weather in Paris?",
                "\"stream\": true, \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", "
                        + "\"parameters\": {\"type\": \"object\"}}}]"))
                .then().statusCode(200).extract().asString());
        JsonPath first = new JsonPath(events.get(0));
        assertEquals("call_abc", first.getString("choices[0].delta.tool_calls[0].id"));
        assertEquals("get_weather", first.getString("choices[0].delta.tool_calls[0].function.name"));
        StringBuilder arguments = new StringBuilder();
        for (String e : events.subList(0, events.size() - 1)) {
            String fragment = new JsonPath(e).getString("choices[0].delta.tool_calls[0].function.arguments");
            if (fragment != null) {
                arguments.append(fragment);
            }
        }
        assertEquals("{\"city\":\"Paris\"}", arguments.toString());
    }

    @Test
    void rejectedCredentialsAre502WithAClearMessage() {
        ChatFixtures.Config c = config(ALICE, "openai", "/openai/v1", "sk-wrong", model("gpt-ok"), null);
        chat(ALICE, userMessage(c.name(), "Hi", null)).then().statusCode(502)
                .body("error.code", equalTo("upstream_auth_failed"))
                .body("error.message", containsString("rejected the credentials of config '" + c.name() + "'"));
    }

    @Test
    void providerRateLimitIsRetriedThenAnswered429WithRetryAfter() {
        String upstreamModel = model("gpt-429");
        ChatFixtures.Config c = openai(ALICE, upstreamModel);
        chat(ALICE, userMessage(c.name(), "Hi", null)).then().statusCode(429)
                .header("Retry-After", "1")
                .body("error.type", equalTo("rate_limit_error"));
        assertEquals(3, FakeProviders.calls(upstreamModel), "one call and two retries");
    }

    @Test
    void transient5xxIsRetriedBeforeAnyByteReachesTheClient() {
        String upstreamModel = model("gpt-flaky");
        ChatFixtures.Config c = openai(ALICE, upstreamModel);
        chat(ALICE, userMessage(c.name(), "Hi", null)).then().statusCode(200)
                .body("choices[0].message.content", equalTo("Hello from OpenAI"));
        assertEquals(2, FakeProviders.calls(upstreamModel));
    }

    @Test
    void providerRejectingTheRequestIs400WithoutRetry() {
        String upstreamModel = model("gpt-bad");
        ChatFixtures.Config c = openai(ALICE, upstreamModel);
        chat(ALICE, userMessage(c.name(), "Hi", null)).then().statusCode(400)
                .body("error.message", containsString("Invalid value for 'temperature'"));
        assertEquals(1, FakeProviders.calls(upstreamModel));
    }

    @Test
    void slowFirstByteIs504() {
        ChatFixtures.Config c = config(ALICE, "openai", "/openai/v1", FakeProviders.OPENAI_KEY, model("gpt-slow"),
                "{\"timeouts\": {\"first_byte_ms\": 300}}");
        chat(ALICE, userMessage(c.name(), "Hi", null)).then().statusCode(504)
                .body("error.type", equalTo("timeout_error"));
    }

    @Test
    void droppedStreamEndsWithAnErrorEvent() {
        ChatFixtures.Config c = openai(ALICE, model("gpt-drop"));
        List<String> events = events(chat(ALICE, userMessage(c.name(), "Hi", "\"stream\": true"))
                .then().statusCode(200).extract().asString());
        String last = events.get(events.size() - 1);
        assertTrue(last.contains("\"error\""), last);
        assertFalse(events.contains("[DONE]"));
    }

    @Test
    void clientThatDisconnectsCancelsTheUpstreamRequest() throws Exception {
        String upstreamModel = model("gpt-hang");
        ChatFixtures.Config c = openai(ALICE, upstreamModel);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port
                        + "/v1/chat/completions"))
                .header("Authorization", "Bearer alice-key").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(userMessage(c.name(), "Hi", "\"stream\": true"))).build();
        HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        String line;
        do {
            line = reader.readLine();
        } while (line != null && !line.contains("Hello"));
        reader.close();
        await().atMost(Duration.ofSeconds(15)).until(() -> FakeProviders.CLOSED.contains(upstreamModel));
    }

    @Test
    void failingConfigFallsBackToTheNextUsableOne() {
        ChatFixtures.Config disabled = config(ALICE, "echo", null, null, null, null);
        dev.suite.llm.TestUsers.as(ALICE).body("{\"name\": \"" + disabled.name() + "\", \"provider\": \"echo\", "
                + "\"enabled\": false}").put("/api/llm/configs/" + disabled.id()).then().statusCode(200);
        ChatFixtures.Config echo = config(ALICE, "echo", null, null, null, null);
        ChatFixtures.Config foreign = config(BOB, "echo", null, null, null, null);
        // Nothing listens on port 1: every attempt is a connect error.
        String metadata = "{\"fallbacks\": [\"%s\", \"%s\", \"%s\"]}".formatted(foreign.id(), disabled.id(), echo.id());
        String name = dev.suite.llm.ConfigFixtures.uniqueName("unreachable");
        String primary = dev.suite.llm.TestUsers.as(ALICE).body("""
                {"name": "%s", "provider": "openai", "api_url": "http://127.0.0.1:1/v1", "model": "gpt-x",
                 "metadata": %s}""".formatted(name, metadata))
                .post("/api/llm/configs").then().statusCode(201).extract().path("config_id");
        chat(ALICE, userMessage(name, "Fall back to echo", null)).then().statusCode(200)
                .header("X-Suite-Config-Id", echo.id())
                .body("choices[0].message.content", equalTo("Fall back to echo"));
        assertFalse(primary.isEmpty());
    }

    @Test
    void keyThatCannotBeDecryptedIsAClearErrorNotAHang() {
        ChatFixtures.Config c = openai(ALICE, model("gpt-ok"));
        // Sealed under a master key this service does not have (as after a rotation that dropped the old key).
        byte[] forgotten = new byte[32];
        new java.security.SecureRandom().nextBytes(forgotten);
        String sealed = new dev.suite.commons.crypto.SecretBox(forgotten, List.of())
                .seal(FakeProviders.OPENAI_KEY, dev.suite.llm.config.LlmConfigService.keyContext(c.id()));
        TestDb.update("update llm_config set api_key_sealed = ? where config_id = ?", sealed, c.id());
        chat(ALICE, userMessage(c.name(), "Hi", null)).then().statusCode(500)
                .body("error.code", equalTo("key_unreadable"))
                .body("error.message", containsString("cannot be decrypted"));
    }

    @Test
    void anotherUsersOrADisabledConfigIsAnUnknownModel() {
        ChatFixtures.Config c = openai(ALICE, model("gpt-ok"));
        chat(BOB, userMessage(c.id(), "Hi", null)).then().statusCode(404).body("error.code", equalTo("model_not_found"));
        chat(BOB, userMessage(c.name(), "Hi", null)).then().statusCode(404);
        dev.suite.llm.TestUsers.as(BOB).header("X-Suite-Config-Id", c.id()).body(userMessage("x", "Hi", null))
                .post("/v1/chat/completions").then().statusCode(404);
        dev.suite.llm.TestUsers.as(ALICE).body("{\"name\": \"" + c.name() + "\", \"provider\": \"openai\", "
                + "\"enabled\": false}").put("/api/llm/configs/" + c.id()).then().statusCode(200);
        chat(ALICE, userMessage(c.id(), "Hi", null)).then().statusCode(404);
    }

    @Test
    void malformedRequestsAre400InOpenAiFormat() {
        ChatFixtures.Config c = openai(ALICE, model("gpt-ok"));
        chat(ALICE, "{\"model\": \"" + c.name() + "\"}").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
        chat(ALICE, "{not json").then().statusCode(400);
        chat(ALICE, userMessage(c.name(), "Hi", "\"stream\": \"yes\"")).then().statusCode(400)
                .body("error.message", containsString("stream"));
        chat(ALICE, "{\"model\": \"" + c.name() + "\", \"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}")
                .then().statusCode(400);
        RestAssured.given().contentType("application/json").body(userMessage(c.name(), "Hi", null))
                .post("/v1/chat/completions").then().statusCode(401)
                .body("error.type", equalTo("authentication_error"));
    }

    @Test
    void modelsListsTheCallersEnabledConfigs() {
        ChatFixtures.Config c = openai(ALICE, model("gpt-ok"));
        dev.suite.llm.TestUsers.as(ALICE).get("/v1/models").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data.find { it.config_id == '" + c.id() + "' }.id", equalTo(c.name()))
                .body("data.find { it.config_id == '" + c.id() + "' }.owned_by", equalTo("openai"));
        dev.suite.llm.TestUsers.as(BOB).get("/v1/models").then().statusCode(200)
                .body("data.config_id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(c.id())));
    }
}
