package dev.suite.llm.chat.providers;

import dev.suite.llm.config.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.EnumMap;
import java.util.Map;

/** The adapter of each provider; {@code openai-compatible} speaks OpenAI's wire format. */
@ApplicationScoped
public class ProviderAdapters {

    private final Map<Provider, ProviderAdapter> byProvider = new EnumMap<>(Provider.class);

    public ProviderAdapters(Instance<ProviderAdapter> adapters) {
        for (ProviderAdapter adapter : adapters) {
            byProvider.put(adapter.provider(), adapter);
        }
        byProvider.put(Provider.OPENAI_COMPATIBLE, byProvider.get(Provider.OPENAI));
    }

    public ProviderAdapter of(Provider provider) {
        ProviderAdapter adapter = byProvider.get(provider);
        if (adapter == null) {
            throw new IllegalStateException("no adapter for provider " + provider.wireName());
        }
        return adapter;
    }
}
