package dev.suite.llm.chat.providers;

import dev.suite.llm.chat.ChatCall;
import dev.suite.llm.chat.Usage;

/**
 * The part every translating stream shares: it keeps the usage the provider reported and, when
 * the client asked with {@code stream_options.include_usage}, ends with OpenAI's usage-only chunk.
 */
abstract class TranslatingStream implements StreamTranslator {

    protected final ChatCall call;
    protected Usage usage = Usage.NONE;
    private boolean opened;

    TranslatingStream(ChatCall call) {
        this.call = call;
    }

    /** OpenAI streams open with an assistant-role chunk; sends it once, before anything else. */
    protected void open(ChunkSink out) {
        if (!opened) {
            opened = true;
            out.chunk(OpenAiShapes.chunk(call, d -> d.put("role", "assistant").put("content", ""), null));
        }
    }

    @Override
    public void onEnd(ChunkSink out) {
        if (call.includeUsage()) {
            out.chunk(OpenAiShapes.usageChunk(call, usage()));
        }
    }

    @Override
    public Usage usage() {
        return usage;
    }
}
