package dev.suite.llm.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.ChatCall;
import dev.suite.llm.chat.providers.Completion;
import dev.suite.llm.chat.providers.OpenAiShapes;
import dev.suite.llm.chat.providers.UpstreamRequest;
import dev.suite.llm.config.Provider;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/** Ollama's {@code /api/embed}: the inputs in one call, {@code prompt_eval_count} as the usage. */
final class OllamaEmbeddings extends EmbeddingsAdapter {

    @Override
    public Provider provider() {
        return Provider.OLLAMA;
    }

    @Override
    public UpstreamRequest request(ChatCall call) {
        ObjectNode body = OpenAiShapes.object().put("model", call.upstreamModel());
        ArrayNode input = body.putArray("input");
        EmbeddingsRequests.texts(call.request(), "ollama").forEach(input::add);
        JsonNode dimensions = call.request().get("dimensions");
        if (dimensions != null && dimensions.canConvertToInt()) {
            body.put("dimensions", dimensions.asInt());
        }
        MultiMap headers = json();
        if (call.apiKey() != null) {
            headers.add("Authorization", "Bearer " + call.apiKey());
        }
        return new UpstreamRequest(call.config().apiUrl() + "/api/embed", headers, Buffer.buffer(body.toString()));
    }

    @Override
    public Completion completion(ChatCall call, Buffer upstreamBody) {
        JsonNode answer = OpenAiShapes.parse(upstreamBody);
        List<float[]> vectors = new ArrayList<>();
        for (JsonNode embedding : answer.path("embeddings")) {
            vectors.add(EmbeddingLists.floats(embedding));
        }
        return EmbeddingLists.of(call, vectors, answer.path("prompt_eval_count").asInt(0));
    }
}
