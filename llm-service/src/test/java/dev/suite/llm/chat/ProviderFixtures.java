package dev.suite.llm.chat;

import java.util.UUID;

/**
 * A config of each provider pointed at {@link FakeProviders}, with what its fake answers: for tests
 * of the other inbound APIs (Messages, Responses), which must work over every provider.
 */
public final class ProviderFixtures {

    /**
     * @param configId      the config's id
     * @param configName    what a client puts in {@code model}
     * @param upstreamModel the model the fake provider sees (to read the request it got)
     * @param text          the fake's answer to a plain request
     * @param thinks        whether the fake also sends reasoning (thinking) before the answer
     */
    public record Provider(String configId, String configName, String upstreamModel, String text, boolean thinks) {
    }

    private ProviderFixtures() {
    }

    /** A new config of {@code provider} (openai, anthropic, gemini or ollama); with tools, its fake calls get_weather(Paris). */
    public static Provider provider(String user, String provider, boolean tools) {
        String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
        String behaviour = tools ? "tools" : "ok";
        return switch (provider) {
            case "openai" -> create(user, provider, "/openai/v1", FakeProviders.OPENAI_KEY, "gpt-" + behaviour + suffix,
                    "Hello from OpenAI", false);
            case "anthropic" -> create(user, provider, "/anthropic/v1", FakeProviders.ANTHROPIC_KEY,
                    "claude-" + behaviour + suffix, "Hello from Claude", true);
            case "gemini" -> create(user, provider, "/gemini/v1beta", FakeProviders.GEMINI_KEY,
                    "gemini-" + behaviour + suffix, "Hello from Gemini", !tools);
            case "ollama" -> create(user, provider, "/ollama", null, "llama-" + behaviour + suffix, "Hello from Llama", true);
            default -> throw new IllegalArgumentException(provider);
        };
    }

    /** A config of {@code provider} asking its fake for {@code model}, whose name picks the fake's behaviour; answers its id. */
    public static String config(String user, String provider, String model) {
        return switch (provider) {
            case "openai" -> openai(user, model);
            case "anthropic" -> ChatFixtures.config(user, provider, "/anthropic/v1", FakeProviders.ANTHROPIC_KEY, model, null).id();
            case "gemini" -> ChatFixtures.config(user, provider, "/gemini/v1beta", FakeProviders.GEMINI_KEY, model, null).id();
            default -> throw new IllegalArgumentException(provider);
        };
    }

    /** An OpenAI config asking its fake for {@code model}, whose name picks the fake's behaviour; answers its id. */
    public static String openai(String user, String model) {
        return ChatFixtures.config(user, "openai", "/openai/v1", FakeProviders.OPENAI_KEY, model, null).id();
    }

    private static Provider create(String user, String provider, String path, String key, String model, String text,
            boolean thinks) {
        ChatFixtures.Config config = ChatFixtures.config(user, provider, path, key, model, null);
        return new Provider(config.id(), config.name(), model, text, thinks);
    }
}
