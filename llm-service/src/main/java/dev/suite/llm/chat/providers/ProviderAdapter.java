package dev.suite.llm.chat.providers;

import dev.suite.llm.chat.ChatCall;
import dev.suite.llm.config.Provider;
import io.vertx.core.buffer.Buffer;

/**
 * Translates between the OpenAI Chat Completions API the gateway speaks and one provider's wire
 * format. A new provider is one class.
 */
public interface ProviderAdapter {

    Provider provider();

    /**
     * @throws dev.suite.llm.chat.ChatException (400) for a request this provider cannot express
     */
    UpstreamRequest request(ChatCall call);

    /** A 2xx non-streaming upstream body as an OpenAI {@code chat.completion}. */
    Completion completion(ChatCall call, Buffer upstreamBody);

    StreamTranslator translator(ChatCall call);

    /** Ollama streams newline-delimited JSON; the others Server-Sent Events. */
    default boolean ndjsonStream() {
        return false;
    }

    /** The human-readable message of an upstream error body, or null. All four providers nest it alike. */
    default String errorMessage(Buffer upstreamBody) {
        return OpenAiShapes.errorMessage(upstreamBody);
    }
}
