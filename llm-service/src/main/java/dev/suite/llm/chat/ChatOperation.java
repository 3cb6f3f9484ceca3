package dev.suite.llm.chat;

import dev.suite.llm.chat.providers.Completion;
import dev.suite.llm.chat.providers.ProviderAdapter;
import dev.suite.llm.chat.providers.ProviderAdapters;
import dev.suite.llm.config.Provider;
import jakarta.enterprise.context.ApplicationScoped;

/** Chat completions: every provider has them. */
@ApplicationScoped
public class ChatOperation implements Operation {

    private final ProviderAdapters adapters;

    public ChatOperation(ProviderAdapters adapters) {
        this.adapters = adapters;
    }

    @Override
    public ProviderAdapter adapter(Provider provider, String configName) {
        return adapters.of(provider);
    }

    @Override
    public Completion echo(ChatCall call) {
        return EchoResponder.completion(call);
    }
}
