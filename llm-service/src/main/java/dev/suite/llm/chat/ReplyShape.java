package dev.suite.llm.chat;

import dev.suite.llm.chat.providers.Completion;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The API a client called, as the gateway answers it. Every provider adapter speaks OpenAI Chat
 * Completions inside the gateway; a shape turns that into what the client asked for — Chat
 * Completions themselves, Anthropic Messages, or OpenAI Responses — so retries, fallbacks,
 * timeouts and usage work the same on every route.
 */
public interface ReplyShape {

    /** The body of a non-streamed answer, from the OpenAI {@code chat.completion}. */
    Buffer body(Completion completion);

    /** The stream of one call, fed with OpenAI {@code chat.completion.chunk}s. */
    Stream stream();

    /** A failure before anything was sent: the status, headers and error body of this API. */
    void error(HttpServerResponse response, ChatException e);

    /**
     * Completes when what a finished answer promises is in place — a stored response a client may
     * continue from — and only then does the gateway send the answer's last bytes. Called once,
     * after {@link #body} or the stream's {@link Stream#end}. A failure here is logged; the answer
     * still goes out.
     */
    default Uni<Void> settled() {
        return Uni.createFrom().voidItem();
    }

    /** One call's stream in this API's event format. Not thread-safe: it runs on the call's event loop. */
    interface Stream {

        /** Appends the client's frames for one OpenAI chunk to {@code out}. */
        void chunk(String openAiChunk, Buffer out);

        /** Appends the frames that end a stream that went well. */
        void end(Usage usage, Buffer out);

        /** Appends the frames that end a stream that failed after it started. */
        void error(ChatException e, Buffer out);
    }
}
