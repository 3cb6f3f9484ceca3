package dev.suite.llm.config;

/** What the chat gateway needs of a config, as held by {@link LlmConfigCache}. The key stays sealed. */
public record CachedConfig(String configId, String ownerId, String name, Provider provider, String apiKeySealed,
        String apiUrl, String model, boolean enabled) {

    static CachedConfig of(LlmConfig config) {
        return new CachedConfig(config.id, config.ownerId, config.name,
                Provider.fromWire(config.provider).orElseThrow(), config.apiKeySealed, config.apiUrl, config.model,
                config.enabled);
    }
}
