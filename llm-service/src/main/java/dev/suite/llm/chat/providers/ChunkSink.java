package dev.suite.llm.chat.providers;

/** Where a stream translator sends the OpenAI chunks (JSON text) it makes of upstream frames. */
public interface ChunkSink {
    void chunk(String json);
}
