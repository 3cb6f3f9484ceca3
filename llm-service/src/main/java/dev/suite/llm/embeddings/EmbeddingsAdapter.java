package dev.suite.llm.embeddings;

import dev.suite.llm.chat.ChatCall;
import dev.suite.llm.chat.providers.ProviderAdapter;
import dev.suite.llm.chat.providers.StreamTranslator;
import io.vertx.core.MultiMap;

/** A provider's embeddings API: a request and its JSON answer, never a stream. */
abstract class EmbeddingsAdapter implements ProviderAdapter {

    @Override
    public StreamTranslator translator(ChatCall call) {
        throw new IllegalStateException("embeddings are never streamed");
    }

    static MultiMap json() {
        return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add("Accept", "application/json");
    }
}
