package dev.suite.llm.chat;

import dev.suite.llm.chat.providers.Completion;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** OpenAI's own APIs, chat completions and embeddings: what the adapters produce goes out as it is. */
public final class OpenAiReplyShape implements ReplyShape {

    public static final OpenAiReplyShape INSTANCE = new OpenAiReplyShape();

    private OpenAiReplyShape() {
    }

    @Override
    public Buffer body(Completion completion) {
        return completion.body();
    }

    @Override
    public ReplyShape.Stream stream() {
        return new ReplyShape.Stream() {
            @Override
            public void chunk(String openAiChunk, Buffer out) {
                out.appendString("data: ").appendString(openAiChunk).appendString("\n\n");
            }

            @Override
            public void end(Usage usage, Buffer out) {
                out.appendString("data: [DONE]\n\n");
            }

            @Override
            public void error(ChatException e, Buffer out) {
                out.appendString("data: ").appendString(OpenAiErrors.body(e)).appendString("\n\n");
            }
        };
    }

    @Override
    public void error(HttpServerResponse response, ChatException e) {
        OpenAiErrors.write(response, e);
    }
}
