package dev.suite.llm.config;

import java.util.Arrays;
import java.util.Optional;

/** The LLM providers a config can point at, with the URL used when a config gives none. */
public enum Provider {
    OPENAI("openai", "https://api.openai.com/v1"),
    ANTHROPIC("anthropic", "https://api.anthropic.com/v1"),
    GEMINI("gemini", "https://generativelanguage.googleapis.com/v1beta"),
    OLLAMA("ollama", "http://127.0.0.1:11434"),
    /** vLLM, LM Studio, DeepSeek…: the OpenAI wire format at a URL the user must give. */
    OPENAI_COMPATIBLE("openai-compatible", null),
    /** A built-in provider that answers without any network call: for trying the suite out and tests. */
    ECHO("echo", null);

    /** The wire names, for validation messages and the OpenAPI document. */
    public static final String WIRE_NAMES = "openai, anthropic, gemini, ollama, openai-compatible, echo";
    public static final String PATTERN = "openai|anthropic|gemini|ollama|openai-compatible|echo";

    private final String wireName;
    private final String defaultUrl;

    Provider(String wireName, String defaultUrl) {
        this.wireName = wireName;
        this.defaultUrl = defaultUrl;
    }

    public String wireName() {
        return wireName;
    }

    public Optional<String> defaultUrl() {
        return Optional.ofNullable(defaultUrl);
    }

    /** Whether a config of this provider must name its own URL. */
    public boolean requiresUrl() {
        return this == OPENAI_COMPATIBLE;
    }

    public static Optional<Provider> fromWire(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }
}
