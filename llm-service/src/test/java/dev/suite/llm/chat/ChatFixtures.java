package dev.suite.llm.chat;

import io.restassured.response.Response;

import java.util.ArrayList;
import java.util.List;

import static dev.suite.llm.ConfigFixtures.PATH;
import static dev.suite.llm.ConfigFixtures.uniqueName;
import static dev.suite.llm.TestUsers.as;

/** Configs pointing at the fake providers, chat requests, and SSE parsing for the gateway tests. */
final class ChatFixtures {

    record Config(String id, String name) {
    }

    private ChatFixtures() {
    }

    static Config config(String user, String provider, String path, String key, String model, String metadata) {
        String name = uniqueName(provider);
        String apiUrl = path == null ? null : FakeProviders.base() + path;
        String body = """
                {"name": "%s", "provider": "%s", "api_url": %s, "api_key": %s, "model": %s, "metadata": %s}"""
                .formatted(name, provider, quoted(apiUrl), quoted(key), quoted(model), metadata == null ? "null" : metadata);
        String id = as(user).body(body).post(PATH).then().statusCode(201).extract().path("config_id");
        return new Config(id, name);
    }

    static Config openai(String user, String model) {
        return config(user, "openai", "/openai/v1", FakeProviders.OPENAI_KEY, model, null);
    }

    static Response chat(String user, String body) {
        return as(user).body(body).post("/v1/chat/completions");
    }

    static String userMessage(String model, String text, String extra) {
        return """
                {"model": "%s", "messages": [{"role": "user", "content": "%s"}]%s}"""
                .formatted(model, text, extra == null ? "" : ", " + extra);
    }

    /** The {@code data:} payloads of an SSE body, in order. */
    static List<String> events(String sse) {
        List<String> events = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(line.substring(6));
            }
        }
        return events;
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
