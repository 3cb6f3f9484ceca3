package dev.suite.llm.embeddings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.ChatCall;
import dev.suite.llm.chat.Usage;
import dev.suite.llm.chat.providers.Completion;
import dev.suite.llm.chat.providers.OpenAiShapes;
import dev.suite.llm.chat.providers.UpstreamRequest;
import dev.suite.llm.config.Provider;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** OpenAI and OpenAI-compatible servers: {@code /embeddings} with only the model replaced; the answer passes through. */
final class OpenAiEmbeddings extends EmbeddingsAdapter {

    @Override
    public Provider provider() {
        return Provider.OPENAI;
    }

    @Override
    public UpstreamRequest request(ChatCall call) {
        ObjectNode body = call.request().deepCopy();
        body.put("model", call.upstreamModel());
        MultiMap headers = json();
        if (call.apiKey() != null) {
            headers.add("Authorization", "Bearer " + call.apiKey());
        }
        return new UpstreamRequest(call.config().apiUrl() + "/embeddings", headers, Buffer.buffer(body.toString()));
    }

    @Override
    public Completion completion(ChatCall call, Buffer upstreamBody) {
        int tokens = OpenAiShapes.parse(upstreamBody).path("usage").path("prompt_tokens").asInt(0);
        return new Completion(upstreamBody, new Usage(tokens, 0));
    }
}
