package dev.suite.llm.chat;

import dev.suite.llm.chat.providers.Completion;
import dev.suite.llm.chat.providers.ProviderAdapter;
import dev.suite.llm.config.Provider;

/**
 * What a gateway call asks of a provider — a chat completion, or embeddings — as the adapters that
 * speak it to each provider. The gateway runs every operation alike: the config, retries,
 * fallbacks, timeouts and usage.
 */
public interface Operation {

    /**
     * @throws ChatException (400) when the provider offers no such operation
     */
    ProviderAdapter adapter(Provider provider, String configName);

    /** The built-in echo provider's answer, computed here without a network call (never streamed). */
    Completion echo(ChatCall call);
}
