package dev.suite.llm.chat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.chat.ChatFixtures.chat;
import static dev.suite.llm.chat.ChatFixtures.config;
import static dev.suite.llm.chat.ChatFixtures.events;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Anthropic, Gemini and Ollama: what the gateway sends them, and what it makes of their answers and streams. */
@QuarkusTest
@WithTestResource(FakeProviders.class)
class ProviderTranslationTest {

    private static String model(String behaviour) {
        return behaviour + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static final String CONVERSATION = """
            {"model": "%s", %s "max_tokens": 300, "stop": "END", "temperature": 0.5,
             "messages": [
               {"role": "system", "content": "Be brief."},
               {"role": "user", "content": [{"type": "text", "text": "What is in this image?"},
                 {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]},
               {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                 "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}}]},
               {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}],
             "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather",
               "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
             "tool_choice": "auto"}""";

    private static String text(List<String> events, String field) {
        StringBuilder out = new StringBuilder();
        for (String e : events) {
            if (e.equals("[DONE]")) {
                continue;
            }
            JsonPath chunk = new JsonPath(e);
            if (!chunk.getList("choices").isEmpty() && chunk.getString("choices[0].delta." + field) != null) {
                out.append(chunk.getString("choices[0].delta." + field));
            }
        }
        return out.toString();
    }

    private static String finish(List<String> events) {
        for (String e : events) {
            if (!e.equals("[DONE]") && !new JsonPath(e).getList("choices").isEmpty()
                    && new JsonPath(e).getString("choices[0].finish_reason") != null) {
                return new JsonPath(e).getString("choices[0].finish_reason");
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- Anthropic

    @Test
    void anthropicRequestIsTranslatedToTheMessagesApi() {
        String upstreamModel = model("claude-ok");
        ChatFixtures.Config c = config(ALICE, "anthropic", "/anthropic/v1", FakeProviders.ANTHROPIC_KEY, upstreamModel, null);
        chat(ALICE, CONVERSATION.formatted(c.name(), "")).then().statusCode(200)
                .body("choices[0].message.content", equalTo("Hello from Claude"))
                .body("choices[0].message.reasoning_content", equalTo("Let me think."))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("usage.prompt_tokens", equalTo(21))
                .body("usage.completion_tokens", equalTo(9));
        JsonObject sent = FakeProviders.requests(upstreamModel).get(0);
        assertEquals("Be brief.", sent.getString("system"));
        assertEquals(300, sent.getInteger("max_tokens"));
        assertEquals(new JsonArray().add("END"), sent.getJsonArray("stop_sequences"));
        JsonArray messages = sent.getJsonArray("messages");
        assertEquals(3, messages.size(), "user, assistant, then the tool result as a user turn: " + messages);
        JsonObject image = messages.getJsonObject(0).getJsonArray("content").getJsonObject(1);
        assertEquals("base64", image.getJsonObject("source").getString("type"));
        assertEquals("image/png", image.getJsonObject("source").getString("media_type"));
        JsonObject toolUse = messages.getJsonObject(1).getJsonArray("content").getJsonObject(0);
        assertEquals("tool_use", toolUse.getString("type"));
        assertEquals("Paris", toolUse.getJsonObject("input").getString("city"));
        JsonObject toolResult = messages.getJsonObject(2).getJsonArray("content").getJsonObject(0);
        assertEquals("tool_result", toolResult.getString("type"));
        assertEquals("call_1", toolResult.getString("tool_use_id"));
        JsonObject tool = sent.getJsonArray("tools").getJsonObject(0);
        assertEquals("get_weather", tool.getString("name"));
        assertEquals("object", tool.getJsonObject("input_schema").getString("type"));
        assertEquals("auto", sent.getJsonObject("tool_choice").getString("type"));
    }

    @Test
    void anthropicDefaultsMaxTokensAndRefusesN() {
        String upstreamModel = model("claude-ok");
        ChatFixtures.Config c = config(ALICE, "anthropic", "/anthropic/v1", FakeProviders.ANTHROPIC_KEY, upstreamModel, null);
        chat(ALICE, ChatFixtures.userMessage(c.name(), "Hi", null)).then().statusCode(200);
        assertEquals(4096, FakeProviders.requests(upstreamModel).get(0).getInteger("max_tokens"));
        chat(ALICE, ChatFixtures.userMessage(c.name(), "Hi", "\"n\": 2")).then().statusCode(400);
    }

    @Test
    void anthropicStreamBecomesOpenAiChunksWithThinkingAndToolCalls() {
        ChatFixtures.Config c = config(ALICE, "anthropic", "/anthropic/v1", FakeProviders.ANTHROPIC_KEY,
                model("claude-tools"), null);
        List<String> events = events(chat(ALICE, ChatFixtures.userMessage(c.name(), "Weather?",
                "\"stream\": true, \"stream_options\": {\"include_usage\": true}")).then().statusCode(200)
                .extract().asString());
        assertEquals("[DONE]", events.get(events.size() - 1));
        assertEquals("Hello from Claude", text(events, "content"));
        assertEquals("Let me think.", text(events, "reasoning_content"));
        assertEquals("{\"city\": \"Paris\"}", text(events, "tool_calls[0].function.arguments"));
        assertEquals("tool_calls", finish(events));
        JsonPath usage = new JsonPath(events.get(events.size() - 2));
        assertEquals(21, usage.getInt("usage.prompt_tokens"));
        assertEquals(9, usage.getInt("usage.completion_tokens"));
        boolean idOnFirst = events.stream().anyMatch(e -> e.contains("\"id\":\"toolu_1\"") && e.contains("get_weather"));
        assertTrue(idOnFirst);
    }

    @Test
    void anthropicErrorInTheMiddleOfAStreamEndsItWithAnErrorEvent() {
        ChatFixtures.Config c = config(ALICE, "anthropic", "/anthropic/v1", FakeProviders.ANTHROPIC_KEY,
                model("claude-error"), null);
        List<String> events = events(chat(ALICE, ChatFixtures.userMessage(c.name(), "Hi", "\"stream\": true"))
                .then().statusCode(200).extract().asString());
        String last = events.get(events.size() - 1);
        assertTrue(last.contains("Overloaded"), last);
        assertFalse(events.contains("[DONE]"));
    }

    @Test
    void anthropicRejectedKeyIs502() {
        ChatFixtures.Config c = config(ALICE, "anthropic", "/anthropic/v1", "sk-ant-wrong", model("claude-ok"), null);
        chat(ALICE, ChatFixtures.userMessage(c.name(), "Hi", null)).then().statusCode(502)
                .body("error.message", containsString("invalid x-api-key"));
    }

    // ------------------------------------------------------------------- Gemini

    @Test
    void geminiRequestAndAnswerAreTranslated() {
        String upstreamModel = model("gemini-ok");
        ChatFixtures.Config c = config(ALICE, "gemini", "/gemini/v1beta", FakeProviders.GEMINI_KEY, upstreamModel, null);
        chat(ALICE, CONVERSATION.formatted(c.name(), "\"response_format\": {\"type\": \"json_object\"},"))
                .then().statusCode(200)
                .body("choices[0].message.content", equalTo("Hello from Gemini"))
                .body("choices[0].message.reasoning_content", equalTo("Pondering."))
                .body("usage.prompt_tokens", equalTo(11))
                .body("usage.completion_tokens", equalTo(8));
        JsonObject sent = FakeProviders.requests(upstreamModel).get(0);
        assertEquals("Be brief.", sent.getJsonObject("systemInstruction").getJsonArray("parts").getJsonObject(0)
                .getString("text"));
        JsonArray contents = sent.getJsonArray("contents");
        assertEquals("user", contents.getJsonObject(0).getString("role"));
        assertEquals("image/png", contents.getJsonObject(0).getJsonArray("parts").getJsonObject(1)
                .getJsonObject("inlineData").getString("mimeType"));
        assertEquals("model", contents.getJsonObject(1).getString("role"));
        assertEquals("get_weather", contents.getJsonObject(1).getJsonArray("parts").getJsonObject(0)
                .getJsonObject("functionCall").getString("name"));
        assertEquals("get_weather", contents.getJsonObject(2).getJsonArray("parts").getJsonObject(0)
                .getJsonObject("functionResponse").getString("name"));
        JsonObject generation = sent.getJsonObject("generationConfig");
        assertEquals(300, generation.getInteger("maxOutputTokens"));
        assertEquals("application/json", generation.getString("responseMimeType"));
        assertEquals("get_weather", sent.getJsonArray("tools").getJsonObject(0).getJsonArray("functionDeclarations")
                .getJsonObject(0).getString("name"));
    }

    @Test
    void geminiStreamAndFunctionCalls() {
        ChatFixtures.Config c = config(ALICE, "gemini", "/gemini/v1beta", FakeProviders.GEMINI_KEY, model("gemini-ok"), null);
        List<String> events = events(chat(ALICE, ChatFixtures.userMessage(c.name(), "Hi", "\"stream\": true"))
                .then().statusCode(200).extract().asString());
        assertEquals("Hello from Gemini", text(events, "content"));
        assertEquals("Pondering.", text(events, "reasoning_content"));
        assertEquals("stop", finish(events));

        ChatFixtures.Config tools = config(ALICE, "gemini", "/gemini/v1beta", FakeProviders.GEMINI_KEY,
                model("gemini-tools"), null);
        chat(ALICE, ChatFixtures.userMessage(tools.name(), "Weather?", null)).then().statusCode(200)
                .body("choices[0].finish_reason", equalTo("tool_calls"))
                .body("choices[0].message.content", nullValue())
                .body("choices[0].message.tool_calls[0].function.name", equalTo("get_weather"))
                .body("choices[0].message.tool_calls[0].function.arguments", equalTo("{\"city\":\"Paris\"}"));
    }

    @Test
    void geminiRejectedKeyIs502() {
        ChatFixtures.Config c = config(ALICE, "gemini", "/gemini/v1beta", "bad", model("gemini-ok"), null);
        chat(ALICE, ChatFixtures.userMessage(c.name(), "Hi", null)).then().statusCode(502)
                .body("error.message", containsString("API key not valid"));
    }

    // ------------------------------------------------------------------- Ollama

    @Test
    void ollamaRequestAndNdjsonStreamAreTranslated() {
        String upstreamModel = model("llama-ok");
        ChatFixtures.Config c = config(ALICE, "ollama", "/ollama", null, upstreamModel, null);
        List<String> events = events(chat(ALICE, CONVERSATION.formatted(c.name(),
                "\"stream\": true, \"stream_options\": {\"include_usage\": true},")).then().statusCode(200)
                .extract().asString());
        assertEquals("Hello from Llama", text(events, "content"));
        assertEquals("Hmm.", text(events, "reasoning_content"));
        JsonPath usage = new JsonPath(events.get(events.size() - 2));
        assertEquals(13, usage.getInt("usage.prompt_tokens"));
        assertEquals(6, usage.getInt("usage.completion_tokens"));
        JsonObject sent = FakeProviders.requests(upstreamModel).get(0);
        assertEquals(300, sent.getJsonObject("options").getInteger("num_predict"));
        JsonArray messages = sent.getJsonArray("messages");
        assertEquals("iVBORw0KGgo=", messages.getJsonObject(1).getJsonArray("images").getString(0));
        assertEquals("Paris", messages.getJsonObject(2).getJsonArray("tool_calls").getJsonObject(0)
                .getJsonObject("function").getJsonObject("arguments").getString("city"));
    }

    @Test
    void streamsSplitByteByByteKeepEveryCharacter() {
        // The fakes write one byte per read: every multi-byte character straddles two buffers.
        String expected = String.join("", FakeProviders.BYTEWISE_PIECES);
        ChatFixtures.Config openai = ChatFixtures.openai(ALICE, model("gpt-bytewise"));
        ChatFixtures.Config ollama = config(ALICE, "ollama", "/ollama", null, model("llama-bytewise"), null);
        for (ChatFixtures.Config c : List.of(openai, ollama)) {
            List<String> events = events(chat(ALICE, ChatFixtures.userMessage(c.name(), "Hi", "\"stream\": true"))
                    .then().statusCode(200).extract().asString());
            assertEquals(expected, text(events, "content"), c.name());
        }
    }

    @Test
    void ollamaToolCallsAndNonStreamingAnswers() {
        ChatFixtures.Config c = config(ALICE, "ollama", "/ollama", null, model("llama-tools"), null);
        chat(ALICE, ChatFixtures.userMessage(c.name(), "Weather?", null)).then().statusCode(200)
                .body("choices[0].finish_reason", equalTo("tool_calls"))
                .body("choices[0].message.tool_calls[0].function.arguments", equalTo("{\"city\":\"Paris\"}"))
                .body("usage.total_tokens", equalTo(19));
    }

    // --------------------------------------------------------------------- echo

    @Test
    void echoStreamsTheLastUserMessageWordByWordWithHonestCounts() {
        ChatFixtures.Config c = config(ALICE, "echo", null, null, null, null);
        List<String> events = events(chat(ALICE, """
                {"model": "%s", "stream": true, "stream_options": {"include_usage": true},
                 "messages": [{"role": "system", "content": "Repeat."}, {"role": "user", "content": "One two, three!"}]}"""
                .formatted(c.name())).then().statusCode(200).extract().asString());
        assertEquals("One two, three!", text(events, "content"));
        assertEquals(7, events.size(), "role, 3 words, finish, usage, [DONE]: " + events);
        JsonPath usage = new JsonPath(events.get(events.size() - 2));
        assertEquals(7, usage.getInt("usage.prompt_tokens"));
        assertEquals(5, usage.getInt("usage.completion_tokens"));
    }
}
