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

    TranslatingStream(ChatCall call) {
        this.call = call;
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
