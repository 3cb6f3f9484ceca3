package dev.suite.llm;

import java.util.UUID;

import static dev.suite.llm.TestUsers.as;

/** Requests the config tests share. */
public final class ConfigFixtures {

    public static final String PATH = "/api/llm/configs";

    private ConfigFixtures() {
    }

    /** Tests share one database per run, so names carry a random suffix. */
    public static String uniqueName(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String create(String user, String body) {
        return as(user).body(body).post(PATH).then().statusCode(201).extract().path("config_id");
    }

    public static String openai(String name, String key) {
        return """
                {"name": "%s", "provider": "openai", "api_key": "%s", "model": "gpt-4o-mini",
                 "metadata": {"temperature": 0.2, "tags": ["a"]}}""".formatted(name, key);
    }
}
