package dev.suite.llm.chat.providers;

import dev.suite.llm.chat.Usage;
import io.vertx.core.buffer.Buffer;

/** A finished non-streaming answer: the OpenAI {@code chat.completion} body and its usage. */
public record Completion(Buffer body, Usage usage) {
}
