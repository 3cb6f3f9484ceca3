package dev.suite.llm.chat.providers;

import dev.suite.llm.chat.Usage;

/**
 * Turns one upstream stream into OpenAI {@code chat.completion.chunk}s. One instance per call; not
 * thread-safe (it runs on the call's event loop).
 */
public interface StreamTranslator {

    /**
     * One upstream frame (an SSE event, or an NDJSON line).
     *
     * @throws dev.suite.llm.chat.ChatException when the frame reports an upstream error mid-stream
     */
    void onFrame(String event, String data, ChunkSink out);

    /** The upstream ended normally; emit what is left (for example the usage chunk). */
    void onEnd(ChunkSink out);

    Usage usage();
}
